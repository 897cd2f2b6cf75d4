import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey } from '@rxledger/events';
import {
  cosignatures,
  cosignatureSigner,
  ed25519Signer,
  formatAddCheckpointRequest,
  formatVerifierKey,
  leafHash,
  parseCosignatureVerifierKey,
  parseVerifierKey,
  signCheckpoint,
  verifyCheckpoint,
} from '@rxledger/tlog';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLedgerService, type LedgerService, type LedgerServiceOptions } from '../src/index.ts';
import { publishToChannel } from './support/publish.ts';
import { TestChain } from './support/test-chain.ts';
import { testLedgerOptions } from './support/test-ledger.ts';
import { waitFor } from './support/wait-for.ts';

// Two ledger nodes folding the same topic: B cosigns A's checkpoints only because its own fold
// reaches the same root at the same size, so "every node folds identically" is a signed statement.
const ORIGIN_A = 'node-a.test.rxledger.dev/custody';
const ORIGIN_B = 'node-b.test.rxledger.dev/custody';
const WITNESS_B = 'node-b.test.rxledger.dev/witness';

describe('a ledger node as the witness of another', () => {
  const chain = new TestChain();
  const keyA = SigningKey.generate();
  const vkeyA = formatVerifierKey(ORIGIN_A, keyA.verifyingKey.bytes);
  const witnessB = cosignatureSigner(WITNESS_B, SigningKey.generate().exportSeed());
  const channel = `peers-${process.pid}-${Date.now() % 100000}`;
  const dirs: string[] = [];
  const nodes: LedgerService[] = [];
  let a: string;
  let b: string;

  const commissions = (from: number, n: number) => chain.commissions(from, n);
  const start = (
    extra: Partial<LedgerServiceOptions> & Pick<LedgerServiceOptions, 'origin' | 'checkpointKey'>,
  ) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rxledger-peer-'));
    dirs.push(dataDir);
    const node = createLedgerService(
      testLedgerOptions(chain, {
        brokers: inject('kafkaBrokers'),
        channel,
        dataDir,
        checkpointIntervalMs: 100,
        witnessTiming: { pollMs: 100, baseDelayMs: 100, maxDelayMs: 1_000, refusedDelayMs: 1_000 },
        ...extra,
      }),
    );
    nodes.push(node);
    return node.start();
  };
  const cosignedAt = (size: number) =>
    waitFor(
      `node A's checkpoint of size ${size} cosigned by node B`,
      async () => {
        const note = await (await fetch(`${a}/v1/checkpoint`)).text();
        if (!note.includes(`\n${size}\n`)) return undefined;
        const [status] = cosignatures(note, [parseCosignatureVerifierKey(witnessB.vkey)]);
        return status?.status === 'cosigned' ? note : undefined;
      },
      { timeoutMs: 60_000, pollMs: 100 },
    );

  beforeAll(async () => {
    await publishToChannel(inject('kafkaBrokers'), channel, [
      chain.sign(chain.genesis(Date.now() - 60_000), chain.authority),
      ...commissions(0, 12),
    ]);
    b = await start({
      origin: ORIGIN_B,
      checkpointKey: SigningKey.generate(),
      witnessOf: { signer: witnessB, logs: [parseVerifierKey(vkeyA)] },
    });
    a = await start({
      origin: ORIGIN_A,
      checkpointKey: keyA,
      witnesses: [{ url: b, key: parseCosignatureVerifierKey(witnessB.vkey), id: WITNESS_B }],
    });
  });

  afterAll(async () => {
    for (const node of nodes) await node.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('names its witness key and the logs it cosigns', async () => {
    expect(await (await fetch(`${b}/v1/witness`)).json()).toEqual({
      name: WITNESS_B,
      vkey: witnessB.vkey,
      logs: [ORIGIN_A],
    });
  });

  it("cosigns the peer's checkpoints at every size both have folded, as the log grows", async () => {
    const first = await cosignedAt(13);
    expect(verifyCheckpoint(first, vkeyA, { origin: ORIGIN_A }).size).toBe(13);
    await publishToChannel(inject('kafkaBrokers'), channel, commissions(12, 6));
    await cosignedAt(19);
    const metrics = await (await fetch(`${a}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`ledger_witness_cosigned_size\\{witness="${WITNESS_B}",service="ledger"\\} 19`),
    );
  });

  it("refuses a checkpoint signed by the peer's key whose root its own fold does not reach", async () => {
    const size = 19;
    const forged = signCheckpoint(
      { origin: ORIGIN_A, size, root: leafHash(Uint8Array.of(9)) },
      ed25519Signer(ORIGIN_A, keyA.exportSeed()),
    );
    const res = await fetch(`${b}/add-checkpoint`, {
      method: 'POST',
      body: formatAddCheckpointRequest({ oldSize: size, proof: [], checkpoint: forged }),
    });
    expect(res.status).toBe(422);
    // Nothing changed: it still holds the true size 19, as its 409 says.
    const right = await fetch(`${b}/add-checkpoint`, {
      method: 'POST',
      body: formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint: forged }),
    });
    expect(right.status).toBe(409);
    expect(right.headers.get('content-type')).toMatch(/^text\/x\.tlog\.size/);
    expect(await right.text()).toBe('19\n');
  });
});
