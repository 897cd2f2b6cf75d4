import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey } from '@rxledger/events';
import { createLogger } from '@rxledger/runtime';
import {
  cosignatures,
  cosignatureSigner,
  ed25519Signer,
  formatAddCheckpointRequest,
  formatVerifierKey,
  leafHash,
  parseCheckpoint,
  parseNote,
  signCheckpoint,
  toBase64,
  verifyCheckpoint,
} from '@rxledger/tlog';
import { verifyBundle } from '@rxledger/verifier';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyBundleCommand } from '../src/cli/verify-bundle-command.ts';
import { createLedgerService, type LedgerService } from '../src/index.ts';
import { parseWitnessList } from '../src/witness/witness-config.ts';
import { type Litewitness, litewitnessUnavailable, prepareLitewitness } from './support/litewitness.ts';
import { publishToChannel } from './support/publish.ts';
import { pack, TestChain } from './support/test-chain.ts';
import { testLedgerOptions } from './support/test-ledger.ts';
import { bearer } from './support/test-tokens.ts';
import { waitFor } from './support/wait-for.ts';

// Interoperability with a witness nobody here wrote: litewitness from filippo.io/torchwood cosigns
// this node's checkpoints over C2SP tlog-witness, and refuses a forged one.
const ORIGIN = 'litewitness.test.rxledger.dev/custody';
const WITNESS = 'witness.test.rxledger.dev/litewitness';
const unavailable = litewitnessUnavailable();
if (unavailable) console.log(`witness-litewitness: skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('litewitness cosigning a ledger node', () => {
  const chain = new TestChain();
  const checkpointKey = SigningKey.generate();
  const logSigner = ed25519Signer(ORIGIN, checkpointKey.exportSeed());
  const vkey = formatVerifierKey(ORIGIN, checkpointKey.verifyingKey.bytes);
  const channel = `witness-${process.pid}-${Date.now() % 100000}`;
  const dirs: string[] = [];
  const nodes: LedgerService[] = [];
  let witness: Litewitness;
  let url: string;
  let topicValues = 0;

  const commissions = (from: number, n: number) => chain.commissions(from, n);
  const publish = async (values: Uint8Array[]) => {
    await publishToChannel(inject('kafkaBrokers'), channel, values);
    topicValues += values.length;
  };
  const startNode = async (log = createLogger({ service: 'ledger', level: 'silent' })) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rxledger-witnessed-'));
    dirs.push(dataDir);
    const node = createLedgerService(
      testLedgerOptions(chain, {
        brokers: inject('kafkaBrokers'),
        channel,
        dataDir,
        checkpointKey,
        origin: ORIGIN,
        log,
        checkpointIntervalMs: 100,
        witnesses: parseWitnessList(`${witness.url} ${witness.key.vkey}`, 'RXLEDGER_WITNESSES'),
        witnessTiming: { pollMs: 100, baseDelayMs: 100, maxDelayMs: 1_000, refusedDelayMs: 1_000 },
      }),
    );
    nodes.push(node);
    return node.start();
  };
  /** The node's /v1/checkpoint once it is at `size` and cosigned by litewitness. */
  const cosignedAt = (at: string, size: number) =>
    waitFor(
      `a checkpoint of size ${size} cosigned by litewitness`,
      async () => {
        const note = await (await fetch(`${at}/v1/checkpoint`)).text();
        if (!note.includes(`\n${size}\n`)) return undefined;
        return cosignatures(note, [witness.key])[0]!.status === 'cosigned' ? note : undefined;
      },
      { timeoutMs: 60_000, pollMs: 100 },
    );
  const post = async (body: string) => {
    const res = await fetch(`${witness.url}/add-checkpoint`, { method: 'POST', body });
    return { status: res.status, body: await res.text() };
  };
  const witnessedSize = () => {
    const line = witness
      .witnessctl('list-logs')
      .split('\n')
      .find((l) => l.includes(ORIGIN))!;
    return JSON.parse(line) as { size: number; root_hash: string };
  };

  beforeAll(async () => {
    witness = await prepareLitewitness(WITNESS);
    witness.witnessctl('add-log', '-origin', ORIGIN);
    witness.witnessctl('add-key', '-origin', ORIGIN, '-key', vkey);
    await publish([chain.sign(chain.genesis(Date.now() - 60_000), chain.authority), ...commissions(0, 10)]);
    // The node starts while its witness is still down: it folds and signs, and keeps retrying.
    url = await startNode();
    await waitFor('the node to sign size 11', async () =>
      (await (await fetch(`${url}/v1/checkpoint`)).text()).includes('\n11\n'),
    );
    await witness.start();
  }, 900_000);

  afterAll(async () => {
    for (const node of nodes) await node.stop();
    await witness?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("derives litewitness's vkey from its key as litewitness itself does", async () => {
    expect(await witness.loggedVkey()).toBe(witness.key.vkey);
  });

  it('gets its checkpoint cosigned once the witness is up, and serves the cosigned note', async () => {
    const note = await cosignedAt(url, topicValues);
    expect(verifyCheckpoint(note, vkey, { origin: ORIGIN }).size).toBe(11);
    expect(parseNote(note).signatures.map((s) => s.name)).toEqual([ORIGIN, WITNESS]);
    expect(witnessedSize().size).toBe(11);
  });

  it('gets each larger checkpoint cosigned as the log grows (consistency proofs litewitness accepts)', async () => {
    await publish(commissions(10, 7));
    const at18 = await cosignedAt(url, 18);
    await publish(commissions(17, 5));
    const at23 = await cosignedAt(url, 23);
    const { root } = parseCheckpoint(parseNote(at23).text);
    expect(witnessedSize()).toMatchObject({ size: 23, root_hash: toBase64(root) });
    expect(at18).not.toBe(at23);
  });

  it('refuses a forged checkpoint signed by the node key: same size, other root', async () => {
    const size = witnessedSize().size;
    const forged = signCheckpoint({ origin: ORIGIN, size, root: leafHash(Uint8Array.of(1)) }, logSigner);
    const sameSize = await post(formatAddCheckpointRequest({ oldSize: size, proof: [], checkpoint: forged }));
    expect(sameSize.status).toBe(422);
    // And one size further, with a "proof" that leads nowhere.
    const further = signCheckpoint(
      { origin: ORIGIN, size: size + 1, root: leafHash(Uint8Array.of(2)) },
      logSigner,
    );
    const proof = [leafHash(Uint8Array.of(3)), leafHash(Uint8Array.of(4))];
    expect(
      (await post(formatAddCheckpointRequest({ oldSize: size, proof, checkpoint: further }))).status,
    ).toBe(422);
    expect(witnessedSize().size).toBe(size);
  });

  it('resends from the witness size after a 409: a node rebuilt from the topic with no cosignatures', async () => {
    const lines: Array<{ msg: string; ours?: number; theirs?: number }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const rebuilt = await startNode(log);
    const note = await cosignedAt(rebuilt, topicValues);
    expect(verifyCheckpoint(note, vkey).size).toBe(23);
    // It began from size 0, as a node with no cosignatures must, and litewitness's 409 said 23.
    expect(lines.filter((l) => l.msg.includes('another size'))).toMatchObject([{ ours: 0, theirs: 23 }]);
  });

  it('serves bundles that verify offline under a witness policy naming litewitness', async () => {
    await cosignedAt(url, 23);
    const res = await fetch(`${url}/v1/provenance?item=${encodeURIComponent(pack(3))}`, {
      headers: bearer('regulator'),
    });
    expect(res.status).toBe(200);
    const bundle = await res.json();
    const trust = { checkpointKey: vkey, authorityKey: chain.authority.verifyingKey, origin: ORIGIN };
    const report = verifyBundle(bundle, { ...trust, witnesses: { quorum: 1, keys: [witness.key.vkey] } });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.witnesses?.cosigned.map((c) => c.name)).toEqual([WITNESS]);

    // The CLI says the same, and fails a 2-of-2 policy whose second witness never cosigned.
    const dir = mkdtempSync(join(tmpdir(), 'rxledger-bundle-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify(bundle));
    const other = cosignatureSigner('witness.test.rxledger.dev/other', new Uint8Array(32).fill(5)).vkey;
    const cli = async (...witnessArgs: string[]) => {
      const out: string[] = [];
      const args = [
        join(dir, 'bundle.json'),
        '--checkpoint-key',
        vkey,
        '--authority-key',
        chain.authority.verifyingKey.toBase64(),
        ...witnessArgs,
      ];
      const status = await verifyBundleCommand(
        args,
        (l) => out.push(l),
        (l) => out.push(l),
      );
      return { status, out: out.join('\n') };
    };
    const one = await cli('--witness', witness.key.vkey);
    expect(one.status).toBe(0);
    expect(one.out).toMatch(
      new RegExp(
        `✓ witness cosignatures: 1 of 1 witnesses cosigned, the policy needs 1; cosigned by ${WITNESS} at `,
      ),
    );
    const two = await cli('--witness', witness.key.vkey, '--witness', other, '--witness-quorum', '2');
    expect(two.status).toBe(1);
    expect(two.out).toMatch(
      /✗ witness cosignatures: 1 of 2 witnesses cosigned, the policy needs 2; .*no cosignature by witness\.test\.rxledger\.dev\/other/,
    );
  });
});
