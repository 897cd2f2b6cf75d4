// The fold runs on a worker thread of its own. When that thread dies (a crash, process.exit, an
// out-of-memory kill: all end it as worker.terminate() does), the node must neither lose what Kafka
// acknowledged nor go on answering as if healthy with a ledger that no longer moves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey } from '@rxledger/events';
import { rootFromReader, toBase64 } from '@rxledger/tlog';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLedgerService, type LedgerService, type LedgerServiceOptions } from '../src/index.ts';
import { publishToChannel } from './support/publish.ts';
import { TestChain } from './support/test-chain.ts';
import { testLedgerOptions } from './support/test-ledger.ts';
import { waitFor } from './support/wait-for.ts';

describe('a ledger node whose fold thread dies', () => {
  const chain = new TestChain();
  const brokers = inject('kafkaBrokers');
  const dirs: string[] = [];
  const running: LedgerService[] = [];
  afterAll(async () => {
    for (const ledger of running) await ledger.stop().catch(() => {});
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const node = (channel: string, extra: Partial<LedgerServiceOptions> = {}) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rxledger-fold-death-'));
    dirs.push(dataDir);
    const ledger = createLedgerService(
      testLedgerOptions(chain, {
        brokers,
        channel,
        dataDir,
        checkpointKey: SigningKey.generate(),
        origin: 'fold-death.test/custody',
        ...extra,
      }),
    );
    running.push(ledger);
    return ledger;
  };
  const folded = (ledger: LedgerService, records: number) =>
    waitFor(`the node to fold ${records} records`, () => ledger.store.nextOffset() >= records);
  const root = (ledger: LedgerService) =>
    toBase64(rootFromReader(ledger.store.hashReader(), ledger.store.size()));
  const metric = async (url: string, name: string) => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(name));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };

  // terminate: as the OS or V8 ends a thread out of memory; throw: an error nothing catches; exit: process.exit.
  it.each(['terminate', 'throw', 'exit'] as const)(
    'restarts the thread from the database after %s, mid-batch too, and folds every acknowledged record',
    async (how) => {
      const channel = `fold-death-${how}-${process.pid}-${Date.now() % 100000}`;
      const now = Date.now();
      const first = [
        chain.sign(chain.genesis(now - 60_000), chain.authority),
        ...chain.commissions(0, 200, now),
      ];
      await publishToChannel(brokers, channel, first);
      const ledger = node(channel, { foldRestartDelayMs: { base: 10, max: 10 } });
      const url = await ledger.start();
      await folded(ledger, first.length);

      // A lot large enough that the thread is killed while folding it (once it has begun on it).
      const second = chain.commissions(200, 1_500, now);
      await publishToChannel(brokers, channel, second);
      await waitFor('the fold to begin on the second lot', () => ledger.store.nextOffset() > first.length);
      await ledger.crashFoldThread(how);
      const third = chain.commissions(1_700, 100, now);
      await publishToChannel(brokers, channel, third);

      const total = first.length + second.length + third.length;
      await folded(ledger, total);
      await waitFor('/readyz to be ready again', async () => (await fetch(`${url}/readyz`)).status === 200);
      expect(await metric(url, 'ledger_fold_thread_restarts_total')).toBe(1);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(ledger.store.size()).toBe(total);

      // A node that never lost its thread folds the same topic to the same tree.
      const witness = node(channel);
      await witness.start();
      await folded(witness, total);
      expect(witness.store.size()).toBe(total);
      expect(root(ledger)).toBe(root(witness));
    },
  );

  it('fails /healthz and /readyz and stops the node once it gives up restarting', async () => {
    const channel = `fold-death-give-up-${process.pid}-${Date.now() % 100000}`;
    const now = Date.now();
    const values = [
      chain.sign(chain.genesis(now - 60_000), chain.authority),
      ...chain.commissions(0, 5, now),
    ];
    await publishToChannel(brokers, channel, values);
    const fatal: Error[] = [];
    const ledger = node(channel, { foldRestarts: 0, onFatal: (err) => fatal.push(err) });
    const url = await ledger.start();
    await folded(ledger, values.length);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    await ledger.crashFoldThread();
    const health = await waitFor('/healthz to fail', async () => {
      const res = await fetch(`${url}/healthz`);
      return res.status === 503 ? ((await res.json()) as { status: string; detail: string }) : undefined;
    });
    expect(health.status).toBe('failing');
    expect(health.detail).toMatch(/fold thread stopped for good/);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { detail: string }).detail).toMatch(/fold thread stopped/);
    expect(fatal.map((e) => e.message)).toEqual([expect.stringMatching(/^the fold thread stopped: /)]);
    await ledger.stop();
  });
});
