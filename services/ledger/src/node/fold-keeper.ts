import {
  backoffDelayMs,
  InvariantViolation,
  type Logger,
  pause,
  type Readiness,
  retry,
} from '@rxledger/runtime';
import { Counter, type Registry } from 'prom-client';

/** What the keeper drives of a fold thread (fold/fold-thread.ts). */
export interface KeptThread {
  start(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
  terminate(): Promise<void>;
  fail(how: 'throw' | 'exit'): Promise<void>;
}

export interface FoldKeeperOptions {
  /** Opens a fold thread on the node's database; it calls `onExit` if it ends without being closed. */
  open: (onExit: (err: Error) => void) => Promise<KeptThread>;
  log: Logger;
  /** Deaths in a row (no slice committed in between) that are restarted; the next one is fatal. Default 3. */
  maxRestarts?: number;
  /** Pause before the n-th restart in a row: base × 2^(n-1), at most max, jittered (defaults 200 ms, 5 s). */
  restartDelayMs?: { base: number; max: number };
  /** Where `ledger_fold_thread_restarts_total` is counted. */
  metrics?: Registry;
  /** The fold cannot be kept running: the node must stop (its main exits, for the supervisor). */
  onGiveUp: (err: Error) => void;
}

/**
 * Keeps the node's fold thread running. A thread that dies (an error it did not catch, process.exit,
 * an out-of-memory kill) is restarted from the database: a batch it had not committed was rolled back
 * by SQLite and its records are read again from the topic at the stored position, so nothing Kafka
 * acknowledged is lost. While it is down /readyz says so; after `maxRestarts` deaths in a row the
 * keeper gives up, /healthz fails and `onGiveUp` stops the node. A broken invariant is never
 * restarted: it ends the process (runtime's lifecycle.ts). Answers MUST NOT be marked ready while
 * the fold is not running: they would come from a ledger that no longer moves.
 */
export function createFoldKeeper(opts: FoldKeeperOptions) {
  const maxRestarts = opts.maxRestarts ?? 3;
  const delay = opts.restartDelayMs ?? { base: 200, max: 5_000 };
  const restarts = new Counter({
    name: 'ledger_fold_thread_restarts_total',
    help: 'Fold threads restarted from the database after the previous one died',
    registers: opts.metrics ? [opts.metrics] : [],
  });
  const closing = new AbortController();
  let thread: KeptThread | undefined;
  let consuming = false;
  let deathsInARow = 0;
  // Why the fold is not running now (for /readyz); `failed` once the keeper gave up (for /healthz).
  let down: string | undefined;
  let failed: Error | undefined;
  let restarting: Promise<void> | undefined;

  const giveUp = (err: Error) => {
    failed = err;
    down = `the fold thread stopped for good: ${err.message}`;
    opts.log.fatal({ err }, down);
    opts.onGiveUp(err);
  };
  const onExit = (err: Error) => {
    thread = undefined;
    if (err instanceof InvariantViolation) {
      // As if thrown here: the process-level handler ends the process (runtime's lifecycle.ts).
      process.nextTick(() => {
        throw err;
      });
      return;
    }
    if (closing.signal.aborted || failed) return;
    deathsInARow++;
    if (deathsInARow > maxRestarts) return giveUp(err);
    down = `the fold thread stopped (${err.message}); restarting it from the database`;
    opts.log.error({ err, deathsInARow }, down);
    restarting = restart().finally(() => {
      restarting = undefined;
    });
  };

  const restart = async () => {
    const signal = closing.signal;
    await pause(backoffDelayMs(deathsInARow, { baseDelayMs: delay.base, maxDelayMs: delay.max }), signal);
    let fresh: KeptThread;
    try {
      const again = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2_000, retryable: () => true, signal };
      fresh = await retry(() => opts.open(onExit), again);
    } catch (err) {
      if (!signal.aborted) giveUp(err as Error);
      return;
    }
    if (signal.aborted) return fresh.close();
    thread = fresh;
    try {
      if (consuming) await fresh.start();
    } catch (err) {
      // A thread that died while starting was handled by onExit; any other failure stops the node.
      if (thread === fresh && !signal.aborted) giveUp(err as Error);
      return;
    }
    down = undefined;
    restarts.inc();
    opts.log.warn('the fold thread was restarted from the database');
  };

  return {
    /** Opens the first thread; resolves once it loaded the fold's state. */
    async open(): Promise<void> {
      thread = await opts.open(onExit);
    },
    /** Starts consuming (now, or as soon as a restarted thread is up). */
    async start(): Promise<void> {
      consuming = true;
      if (down === undefined) await thread?.start();
    },
    /** Stops consuming; a restarted thread will not start. */
    async stop(): Promise<void> {
      consuming = false;
      if (down === undefined) await thread?.stop();
    },
    /** Ends any restart in progress and closes the thread. */
    async close(): Promise<void> {
      closing.abort();
      await restarting;
      await thread?.close();
    },
    /** A slice was committed: the thread works, so its next death starts a fresh count. */
    folded(): void {
      deathsInARow = 0;
    },
    /** Not ready while the fold is down; undefined when the keeper has nothing to say. */
    readiness(): Readiness | undefined {
      return down === undefined ? undefined : { ready: false, detail: down };
    },
    /** Failing once the keeper gave up on the fold. */
    health(): Readiness {
      return failed ? { ready: false, detail: down } : { ready: true };
    },
    /** Test seam: ends the current thread at once, as a crash would, or makes it die from within. */
    async crash(how: 'terminate' | 'throw' | 'exit' = 'terminate'): Promise<void> {
      if (how === 'terminate') await thread?.terminate();
      else await thread?.fail(how);
    },
  };
}
