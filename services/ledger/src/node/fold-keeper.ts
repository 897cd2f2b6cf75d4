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
export function createFoldKeeper(opts: FoldKeeperOptions): FoldKeeper {
  return new FoldKeeper(opts);
}

export class FoldKeeper {
  readonly #opts: FoldKeeperOptions;
  readonly #restarts: Counter;
  readonly #closing = new AbortController();
  #thread: KeptThread | undefined;
  #consuming = false;
  #deathsInARow = 0;
  // Why the fold is not running now (for /readyz); `failed` once the keeper gave up (for /healthz).
  #down: string | undefined;
  #failed: Error | undefined;
  #restarting: Promise<void> | undefined;

  constructor(opts: FoldKeeperOptions) {
    this.#opts = opts;
    this.#restarts = new Counter({
      name: 'ledger_fold_thread_restarts_total',
      help: 'Fold threads restarted from the database after the previous one died',
      registers: opts.metrics ? [opts.metrics] : [],
    });
  }

  /** Opens the first thread; resolves once it loaded the fold's state. */
  async open(): Promise<void> {
    this.#thread = await this.#opts.open(this.#onExit);
  }

  /** Starts consuming (now, or as soon as a restarted thread is up). */
  async start(): Promise<void> {
    this.#consuming = true;
    if (this.#down === undefined) await this.#thread?.start();
  }

  /** Stops consuming; a restarted thread will not start. */
  async stop(): Promise<void> {
    this.#consuming = false;
    if (this.#down === undefined) await this.#thread?.stop();
  }

  /** Ends any restart in progress and closes the thread. */
  async close(): Promise<void> {
    this.#closing.abort();
    await this.#restarting;
    await this.#thread?.close();
  }

  /** A slice was committed: the thread works, so its next death starts a fresh count. */
  folded(): void {
    this.#deathsInARow = 0;
  }

  /** Not ready while the fold is down; undefined when the keeper has nothing to say. */
  readiness(): Readiness | undefined {
    return this.#down === undefined ? undefined : { ready: false, detail: this.#down };
  }

  /** Failing once the keeper gave up on the fold. */
  health(): Readiness {
    return this.#failed ? { ready: false, detail: this.#down } : { ready: true };
  }

  /** Test seam: ends the current thread at once, as a crash would, or makes it die from within. */
  async crash(how: 'terminate' | 'throw' | 'exit' = 'terminate'): Promise<void> {
    if (how === 'terminate') await this.#thread?.terminate();
    else await this.#thread?.fail(how);
  }

  // Only the current thread can end: an earlier one ended before this one was opened.
  readonly #onExit = (err: Error): void => {
    this.#thread = undefined;
    if (err instanceof InvariantViolation) {
      // As if thrown here: the process-level handler ends the process (runtime's lifecycle.ts).
      process.nextTick(() => {
        throw err;
      });
      return;
    }
    if (this.#closing.signal.aborted || this.#failed) return;
    this.#deathsInARow++;
    if (this.#deathsInARow > (this.#opts.maxRestarts ?? 3)) return this.#giveUp(err);
    this.#down = `the fold thread stopped (${err.message}); restarting it from the database`;
    this.#opts.log.error({ err, deathsInARow: this.#deathsInARow }, this.#down);
    this.#restarting = this.#restart().finally(() => {
      this.#restarting = undefined;
    });
  };

  async #restart(): Promise<void> {
    const signal = this.#closing.signal;
    const delay = this.#opts.restartDelayMs ?? { base: 200, max: 5_000 };
    await pause(
      backoffDelayMs(this.#deathsInARow, { baseDelayMs: delay.base, maxDelayMs: delay.max }),
      signal,
    );
    let fresh: KeptThread;
    try {
      const again = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2_000, retryable: () => true, signal };
      fresh = await retry(() => this.#opts.open(this.#onExit), again);
    } catch (err) {
      if (!signal.aborted) this.#giveUp(err as Error);
      return;
    }
    if (signal.aborted) return fresh.close();
    this.#thread = fresh;
    try {
      if (this.#consuming) await fresh.start();
    } catch (err) {
      // A thread that died while starting was handled by #onExit; any other failure stops the node.
      if (this.#thread === fresh && !signal.aborted) this.#giveUp(err as Error);
      return;
    }
    this.#down = undefined;
    this.#restarts.inc();
    this.#opts.log.warn('the fold thread was restarted from the database');
  }

  #giveUp(err: Error): void {
    this.#failed = err;
    this.#down = `the fold thread stopped for good: ${err.message}`;
    this.#opts.log.fatal({ err }, this.#down);
    this.#opts.onGiveUp(err);
  }
}
