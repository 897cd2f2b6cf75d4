// A forked ledger node, caught: two nodes fold one topic, one node's database has a leaf rewritten
// under it, it signs a new checkpoint, and both an outside monitor and the honest node's peer watch
// prove the split view with the two signed notes as evidence.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SigningKey } from '@rxledger/events';
import { createLogger } from '@rxledger/runtime';
import {
  checkPair,
  type Checkpoint,
  formatVerifierKey,
  fromBase64,
  leafHash,
  nodeHash,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  utf8,
} from '@rxledger/tlog';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLedgerService, type LedgerService } from '../src/index.ts';
import {
  createSplitViewMonitor,
  EVIDENCE_KIND,
  httpCheckpointSource,
  SPLIT_VIEW_ALARM,
} from '../src/monitor/index.ts';
import { openLedgerDb } from '../src/store/ledger-db.ts';
import { LedgerStore } from '../src/store/ledger-store.ts';
import { publishToChannel } from './support/publish.ts';
import { TestChain } from './support/test-chain.ts';
import { TOKEN_FILE } from './support/test-tokens.ts';
import { waitFor } from './support/wait-for.ts';

const ORIGIN = 'test.rxledger.dev/custody/split-view';
const cli = fileURLToPath(new URL('../bin/rxledger.mjs', import.meta.url));
/** The bound: a fork is detected within 10 s of the forked checkpoint's publication. */
const DETECTION_BOUND_MS = 10_000;

describe('split-view detection on a real broker', () => {
  const chain = new TestChain();
  const channel = `split-${process.pid}-${Date.now() % 100000}`;
  const brokers = inject('kafkaBrokers');
  const log = createLogger({ service: 'ledger', level: 'silent' });
  const now = Date.now();
  const commission = (i: number) => chain.commissions(i, 1, now)[0]!;
  const firstBatch = [chain.sign(chain.genesis(now - 60_000), chain.authority)];
  for (let i = 0; i < 10; i++) firstBatch.push(commission(i));

  const keyA = SigningKey.generate();
  const keyB = SigningKey.generate();
  const vkeyA = formatVerifierKey(ORIGIN, keyA.verifyingKey.bytes);
  const vkeyB = formatVerifierKey(ORIGIN, keyB.verifyingKey.bytes);
  const dirA = mkdtempSync(join(tmpdir(), 'rxledger-split-a-'));
  const dirB = mkdtempSync(join(tmpdir(), 'rxledger-split-b-'));
  const evidenceDir = mkdtempSync(join(tmpdir(), 'rxledger-split-evidence-'));
  const registry = new Registry();
  let a: LedgerService;
  let b: LedgerService | undefined;
  let urlA: string;
  let urlB: string;
  let monitor: ReturnType<typeof createSplitViewMonitor>;
  // `rxledger monitor` as an operator runs it, beside the in-process monitor.
  const cliEvidence = mkdtempSync(join(tmpdir(), 'rxledger-split-cli-'));
  let cliProcess: ChildProcess | undefined;
  let cliOut = '';
  let cliErr = '';
  let cliExit: Promise<number | null>;

  const node = (dataDir: string, key: SigningKey, port: number, peers?: { url: string; vkey: string }[]) =>
    createLedgerService({
      host: '127.0.0.1',
      port,
      brokers,
      channel,
      dataDir,
      checkpointKey: key,
      origin: ORIGIN,
      authority: chain.authority.verifyingKey,
      tokens: TOKEN_FILE,
      log,
      checkpointIntervalMs: 100,
      peers,
      peerIntervalMs: 200,
    });
  const checkpointAt = async (url: string): Promise<Checkpoint | undefined> => {
    const res = await fetch(`${url}/v1/checkpoint`).catch(() => undefined);
    return res?.ok
      ? parseCheckpoint(openNote(await res.text(), [parseVerifierKey(vkeyA), parseVerifierKey(vkeyB)]).text)
      : undefined;
  };
  const readyz = async (url: string) => {
    const res = await fetch(`${url}/readyz`);
    return { status: res.status, body: await res.text() };
  };

  beforeAll(async () => {
    await publishToChannel(brokers, channel, firstBatch);
    b = node(dirB, keyB, 0);
    urlB = await b.start();
    a = node(dirA, keyA, 0, [{ url: urlB, vkey: vkeyB }]);
    urlA = await a.start();
    monitor = createSplitViewMonitor({
      sources: [httpCheckpointSource(urlA), httpCheckpointSource(urlB)],
      verifiers: [parseVerifierKey(vkeyA), parseVerifierKey(vkeyB)],
      origin: ORIGIN,
      log,
      metrics: registry,
      evidenceDir,
    });
    monitor.start(200);
    const args = ['monitor', '--ledger', urlA, '--ledger', urlB, '--vkey', vkeyA, '--vkey', vkeyB];
    cliProcess = spawn(
      process.execPath,
      [cli, ...args, '--interval', '200', '--evidence-dir', cliEvidence, '--metrics-port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    cliProcess.stdout!.on('data', (chunk: Buffer) => (cliOut += chunk.toString()));
    cliProcess.stderr!.on('data', (chunk: Buffer) => (cliErr += chunk.toString()));
    const child = cliProcess;
    cliExit = new Promise((resolve) => child.once('exit', resolve));
  });

  afterAll(async () => {
    await monitor?.stop();
    if (cliProcess?.exitCode === null) cliProcess.kill('SIGKILL');
    await a?.stop();
    await b?.stop();
    for (const dir of [dirA, dirB, evidenceDir, cliEvidence]) rmSync(dir, { recursive: true, force: true });
  });

  it('sees two honest nodes as consistent, then proves the fork of one within 10 s, with evidence', async () => {
    const size1 = firstBatch.length;
    for (const url of [urlA, urlB]) {
      await waitFor(`${url} to sign size ${size1}`, async () => (await checkpointAt(url))?.size === size1);
    }
    await waitFor('node A to be ready', async () => (await readyz(urlA)).status === 200);
    // A few rounds of the monitor over the honest pair: nothing to report.
    const rounds = 3;
    for (let i = 0; i < rounds; i++) await monitor.poll();
    expect(monitor.inconsistencies()).toEqual([]);
    for (const url of [urlA, urlB]) {
      await waitFor(`rxledger monitor to see ${url} at size ${size1}`, () =>
        cliOut.includes(`checkpoint ${url} size ${size1} `),
      );
    }
    expect(cliOut).not.toContain('SPLIT VIEW');

    // Fork B: stop it, rewrite leaf 3's hash and the stored tree nodes above it (so B's own tree is
    // coherent, as a careful forger would make it), and start it again on the same port.
    await b!.stop();
    b = undefined;
    rewriteLeaf(join(dirB, 'ledger.sqlite'), 3);
    b = node(dirB, keyB, Number(new URL(urlB).port));
    await b.start();

    // New records: both nodes fold them, and B signs a checkpoint of its rewritten history.
    const secondBatch = [commission(10), commission(11), commission(12)];
    await publishToChannel(brokers, channel, secondBatch);
    const size2 = size1 + secondBatch.length;
    await waitFor(
      `the forked node to sign size ${size2}`,
      async () => (await checkpointAt(urlB))?.size === size2,
      {
        timeoutMs: 30_000,
      },
    );

    // From the forked checkpoint's publication: the monitor proves the split view within the bound.
    const [proven] = await waitFor(
      'the monitor to prove the split view',
      () => {
        const found = monitor.inconsistencies();
        return found.length > 0 && found.every((x) => x.evidenceFile !== undefined) && found;
      },
      { timeoutMs: DETECTION_BOUND_MS },
    );
    // And node A, watching B as its peer, marks itself not ready, within the same bound.
    const notReady = await waitFor(
      'node A to answer not ready for the split view',
      async () => {
        const r = await readyz(urlA);
        return r.status === 503 && r.body.includes('split view') && r;
      },
      { timeoutMs: DETECTION_BOUND_MS },
    );
    // The first pair it proved: its own checkpoint and B's (the smaller named first), or two of B's.
    expect(notReady.body).toMatch(
      /split view between (self|http:\/\/127\.0\.0\.1:\d+) \(size \d+\) and (self|http:\/\/127\.0\.0\.1:\d+) \(size \d+\)/,
    );

    // The command line says so in a plain line, keeps its own evidence, and exits 1 when interrupted.
    const line = await waitFor(
      'rxledger monitor to print the split view',
      () => /^.* SPLIT VIEW .*$/m.exec(cliOut)?.[0],
      {
        timeoutMs: DETECTION_BOUND_MS,
      },
    );
    expect(line).toMatch(
      /SPLIT VIEW \((same-size|consistency-proof)\) http:\/\/127\.0\.0\.1:\d+ size \d+ vs/,
    );
    const cliFile = line.replace(/^.*; evidence /, '');
    reverify(JSON.parse(readFileSync(cliFile, 'utf8')) as EvidenceFile, [vkeyA, vkeyB]);
    // One JSON alarm line on standard error, at error level, under the stable message.
    const alarms = cliErr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => l.msg === SPLIT_VIEW_ALARM);
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms.every((l) => l.level === 50)).toBe(true);
    const metricsUrl = /^metrics at (\S+)$/m.exec(cliOut)?.[1];
    expect(await (await fetch(metricsUrl!)).text()).toMatch(/^split_view_detected 1$/m);
    cliProcess!.kill('SIGINT');
    expect(await cliExit).toBe(1);
    expect(cliOut).toMatch(/^stopped: \d+ split view\(s\) proven$/m);

    // The evidence file re-verifies on its own: both notes signed by a node's key, and inconsistent.
    const evidence = JSON.parse(readFileSync(proven!.evidenceFile!, 'utf8')) as EvidenceFile;
    expect(evidence.kind).toBe(EVIDENCE_KIND);
    reverify(evidence, [vkeyA, vkeyB]);

    // The metric is raised on the monitor's registry and on node A's /metrics.
    expect(await registry.getSingleMetricAsString('split_view_detected')).toMatch(/split_view_detected 1$/m);
    const metricsA = await (await fetch(`${urlA}/metrics`)).text();
    expect(metricsA).toMatch(/^split_view_detected\{service="ledger"\} 1$/m);
    expect(metricsA).toMatch(/^split_view_inconsistencies_total\{check="[a-z-]+",service="ledger"\} [1-9]/m);

    // Node A kept its own evidence, which re-verifies the same way.
    const nodeFiles = readdirSync(join(dirA, 'split-view'));
    expect(nodeFiles.length).toBeGreaterThan(0);
    reverify(JSON.parse(readFileSync(join(dirA, 'split-view', nodeFiles[0]!), 'utf8')) as EvidenceFile, [
      vkeyA,
      vkeyB,
    ]);

    // Never forgotten: more rounds (B still serving, nothing new) leave the proof and not-ready in place.
    for (let i = 0; i < rounds; i++) await monitor.poll();
    expect(monitor.inconsistencies().length).toBeGreaterThan(0);
    expect((await readyz(urlA)).status).toBe(503);

    // Nor across a restart: node A, started again on its data, stays not ready while the evidence is
    // there, though its own history alone is consistent (B, the forked peer, is gone: nothing new is proven).
    await b!.stop();
    b = undefined;
    await a.stop();
    a = node(dirA, keyA, 0, [{ url: urlB, vkey: vkeyB }]);
    const again = await readyz(await a.start());
    expect(again.status).toBe(503);
    expect(again.body).toContain('split view proven before this start: evidence ');
  });
});

interface EvidenceFile {
  kind: string;
  check: 'same-size' | 'consistency-proof';
  checkpoints: { node: string; note: string }[];
  proof: { from: number; to: number; hashes: string[] } | null;
}

/** Re-checks evidence from its notes alone: each signed by a trusted key, and the pair inconsistent. */
function reverify(evidence: EvidenceFile, vkeys: string[]): void {
  expect(evidence.checkpoints).toHaveLength(2);
  const [small, large] = evidence.checkpoints.map((c) => {
    // openNote throws unless a trusted key's signature verifies.
    const opened = openNote(c.note, vkeys.map(parseVerifierKey));
    expect(opened.verified.length).toBeGreaterThan(0);
    return parseCheckpoint(opened.text);
  }) as [Checkpoint, Checkpoint];
  const verdict = checkPair(
    small,
    large,
    evidence.proof?.hashes.map((h) => fromBase64(h)),
  );
  expect(verdict).toMatchObject({ consistent: false, check: evidence.check });
}

/** Replaces leaf `seq`'s hash in a stopped node's database and recomputes the stored nodes above it. */
function rewriteLeaf(dbPath: string, seq: number): void {
  const db = openLedgerDb(dbPath);
  try {
    const reader = new LedgerStore(db).hashReader();
    db.transaction(() => {
      db.prepare('UPDATE leaves SET hash = ? WHERE seq = ?').run(leafHash(utf8('forged leaf')), seq);
      const nodes = db.prepare<[number, number], { level: number }>(
        'SELECT level FROM tree WHERE level = ? AND idx = ?',
      );
      const update = db.prepare('UPDATE tree SET hash = ? WHERE level = ? AND idx = ?');
      for (let level = 1; nodes.get(level, seq >> level); level++) {
        const idx = seq >> level;
        const hash = nodeHash(reader.subtree(level - 1, 2 * idx), reader.subtree(level - 1, 2 * idx + 1));
        update.run(hash, level, idx);
      }
    })();
  } finally {
    db.close();
  }
}
