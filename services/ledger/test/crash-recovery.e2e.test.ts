// A ledger node killed with SIGKILL at random moments during a 20,000-record ingest, and restarted
// each time, must end with exactly the leaves and root of a node that was never interrupted.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CustodyEvent, SigningKey, writeSigningKeyFile } from '@rxledger/events';
import { createLogger } from '@rxledger/runtime';
import { rootFromReader } from '@rxledger/tlog';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLedgerService, type LedgerService } from '../src/index.ts';
import { openLedgerDb } from '../src/store/ledger-db.ts';
import { LedgerStore } from '../src/store/ledger-store.ts';
import { publishToChannel } from './support/publish.ts';
import { GLN, pack, TestChain } from './support/test-chain.ts';
import { TOKEN_FILE, writeTokenFile } from './support/test-tokens.ts';
import { waitFor } from './support/wait-for.ts';

const RECORDS = 20_000;

/** Ends `child` with `signal` and waits for it to be gone (at once if it already is). */
function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exited;
}
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** A seeded PRNG, so a failing run can be repeated. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * What the node at `path` has committed, read as another process would. A node that has not created
 * its database or its tables yet, or holds a write lock for a moment, has committed nothing new.
 */
function readPosition(path: string): { next: number; size: number } {
  if (!existsSync(path)) return { next: 0, size: 0 };
  let db: ReturnType<typeof openLedgerDb> | undefined;
  try {
    db = openLedgerDb(path, { readonly: true });
    const store = new LedgerStore(db);
    return { next: store.nextOffset(), size: store.size() };
  } catch (err) {
    if (
      err instanceof Database.SqliteError &&
      /no such table|SQLITE_BUSY|SQLITE_CANTOPEN/.test(`${err.code} ${err.message}`)
    )
      return { next: 0, size: 0 };
    throw err;
  } finally {
    db?.close();
  }
}

describe('crash recovery', () => {
  const root = mkdtempSync(join(tmpdir(), 'rxledger-crash-'));
  // Every node process still running, and the in-process node: whatever happens in the test, none is
  // left behind to keep vitest (or the machine) busy.
  const children = new Set<ChildProcess>();
  let steady: LedgerService | undefined;
  afterAll(async () => {
    await Promise.all([...children].map((child) => kill(child)));
    await steady?.stop().catch(() => {});
    rmSync(root, { recursive: true, force: true });
  });

  it('a node SIGKILLed at random moments ends byte-identical to an uninterrupted one', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const random = mulberry32(seed);
    const chain = new TestChain();
    const now = Date.now();
    const channel = `crash-${seed}`;
    const values = [chain.sign(chain.genesis(now - 60_000), chain.authority)];
    for (let i = 1; i < RECORDS; i++) {
      let event: CustodyEvent;
      if (i % 97 === 0) {
        values.push(new Uint8Array([0xc3, 0x01, i % 256])); // poison: rejected, never stops the node
        continue;
      }
      if (i % 10 === 0) {
        event = {
          type: 'SHIP',
          eventId: `s${i}`,
          eventTime: now,
          eventTimeOffsetMinutes: 0,
          party: GLN.maker,
          site: GLN.makerSite,
          items: [pack(i - 5)],
          to: GLN.distributor,
        };
      } else {
        event = {
          type: 'COMMISSION',
          eventId: `c${i}`,
          eventTime: now,
          eventTimeOffsetMinutes: 0,
          party: GLN.maker,
          site: GLN.makerSite,
          items: [pack(i)],
          lot: `L${i % 7}`,
          expiry: '281231',
        };
      }
      values.push(chain.sign(event, chain.maker));
    }
    const brokers = inject('kafkaBrokers');
    await publishToChannel(brokers, channel, values);

    const keyFile = join(root, 'checkpoint.jwk');
    await writeSigningKeyFile(keyFile, SigningKey.generate());

    // The crashing node: a real process, started as a user would.
    const crashDir = join(root, 'crashy');
    const dbPath = join(crashDir, 'ledger.sqlite');
    const env = {
      ...process.env,
      KAFKA_BROKERS: brokers.join(','),
      CHANNEL: channel,
      DATA_DIR: crashDir,
      PORT: '0',
      CHECKPOINT_KEY_FILE: keyFile,
      AUTHORITY_PUBLIC_KEY: chain.authority.verifyingKey.toBase64(),
      LEDGER_TOKENS_FILE: writeTokenFile(join(root, 'tokens.json')),
      LOG_LEVEL: 'warn',
    };
    const startNode = (): ChildProcess => {
      const child = spawn(process.execPath, ['--import', 'tsx', main], {
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    };
    const exitedEarly = (child: ChildProcess) =>
      child.exitCode !== null || child.signalCode !== null
        ? `the node exited by itself (${child.exitCode ?? child.signalCode})`
        : undefined;

    // Each run is killed at a random moment once it has started folding, so kills land mid-ingest
    // (between, or in the middle of, batch commits), however fast the machine folds.
    let kills = 0;
    let killsMidIngest = 0;
    for (let attempt = 0; attempt < 40 && killsMidIngest < 6; attempt++) {
      const before = readPosition(dbPath);
      if (before.next >= RECORDS) break;
      const child = startNode();
      await waitFor('the node to commit a batch', () => readPosition(dbPath).next > before.next, {
        timeoutMs: 120_000,
        abort: () => exitedEarly(child),
        describe: () => `at offset ${readPosition(dbPath).next}`,
      });
      // The kill moment is what is random here; nothing waits on it.
      await new Promise((r) => setTimeout(r, random() * 300));
      await kill(child);
      kills++;
      const after = readPosition(dbPath);
      if (after.next > before.next && after.next < RECORDS) killsMidIngest++;
    }
    // One last uninterrupted run to the end, if the kills left anything.
    if (readPosition(dbPath).next < RECORDS) {
      const child = startNode();
      await waitFor(
        'the restarted node to fold the whole topic',
        () => readPosition(dbPath).next >= RECORDS,
        {
          timeoutMs: 300_000,
          pollMs: 200,
          abort: () => exitedEarly(child),
          describe: () => `at offset ${readPosition(dbPath).next} of ${RECORDS}`,
        },
      );
      await kill(child, 'SIGTERM');
    }

    // The uninterrupted node, in-process, on the same topic.
    const steadyDir = join(root, 'steady');
    steady = createLedgerService({
      host: '127.0.0.1',
      port: 0,
      brokers,
      channel,
      dataDir: steadyDir,
      checkpointKey: SigningKey.generate(),
      origin: 'steady.test/custody',
      authority: chain.authority.verifyingKey,
      tokens: TOKEN_FILE,
      log: createLogger({ service: 'ledger', level: 'silent' }),
    });
    await steady.start();
    const node = steady;
    await waitFor(
      'the uninterrupted node to fold the whole topic',
      () => node.store.nextOffset() >= RECORDS,
      {
        timeoutMs: 300_000,
        pollMs: 100,
        describe: () => `at offset ${node.store.nextOffset()} of ${RECORDS}`,
      },
    );
    await steady.stop();
    steady = undefined;

    const a = new LedgerStore(openLedgerDb(join(steadyDir, 'ledger.sqlite'), { readonly: true }));
    const b = new LedgerStore(openLedgerDb(dbPath, { readonly: true }));
    try {
      console.log(`crash test seed ${seed}: ${kills} kills, ${killsMidIngest} in the middle of the ingest`);
      expect(killsMidIngest, `seed ${seed}`).toBeGreaterThanOrEqual(3);
      expect(a.nextOffset()).toBe(RECORDS);
      expect(b.nextOffset()).toBe(RECORDS);
      const size = a.size();
      expect(size).toBe(RECORDS - Math.floor((RECORDS - 1) / 97));
      expect(b.size()).toBe(size);
      let identical = 0;
      for (let seq = 0; seq < size; seq++)
        if (Buffer.compare(a.leaf(seq)!.leaf, b.leaf(seq)!.leaf) === 0) identical++;
      expect(identical).toBe(size);
      expect(rootFromReader(b.hashReader(), size)).toEqual(rootFromReader(a.hashReader(), size));
      expect(b.rejections({ limit: 1_000 }).length).toBe(Math.floor((RECORDS - 1) / 97));
    } finally {
      a.db.close();
      b.db.close();
    }
    // Every wait above is for a condition, with its own bound and message; on a loaded machine the
    // whole may take long, and a fixed test timeout would only turn slowness into a failure.
  }, 900_000);
});
