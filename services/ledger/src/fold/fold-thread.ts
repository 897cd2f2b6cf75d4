import { Worker } from 'node:worker_threads';
import type { VerifyingKey } from '@rxledger/events';
import { type KafkaSecurity, type PlainKafkaSecurity, toPlainSecurity } from '@rxledger/kafka';
import { distEntry, INVARIANT_EXIT_CODE, InvariantViolation, runsBuilt } from '@rxledger/runtime';
import type { FoldResult } from '../fold/ledger-folder.ts';

/** What the fold thread is started with (a structured clone: plain data only). */
export interface FoldThreadData {
  dbPath: string;
  brokers: string[];
  security: PlainKafkaSecurity | undefined;
  topic: string;
  groupId: string;
  /** The registry authority's raw public key: the trust anchor of the genesis record. */
  authority: Uint8Array;
  verifyThreads: number | undefined;
  logLevel: string;
}

/** Requests to the fold thread; each is answered by a `done` message with its id, but `fail`. */
export type FoldThreadRequest =
  { id: number; type: 'start' | 'stop' | 'close' } | { id: number; type: 'fail'; how: InjectedFailure };

/** How a test makes the thread die from within: an error nothing catches, or process.exit. */
export type InjectedFailure = 'throw' | 'exit';

/** Messages from the fold thread. */
export type FoldThreadMessage =
  | { type: 'ready'; size: number }
  | { type: 'done'; id: number; error?: string }
  | { type: 'folded'; result: FoldResult }
  | { type: 'invariant'; message: string };

export interface FoldThreadOptions {
  dbPath: string;
  brokers: string[];
  security: KafkaSecurity | undefined;
  topic: string;
  groupId: string;
  authority: VerifyingKey;
  verifyThreads: number | undefined;
  logLevel: string;
  /** Each committed slice of the fold. */
  onFolded: (result: FoldResult) => void;
  /** The thread ended without being closed: the node no longer folds. */
  onExit: (err: Error) => void;
}

/**
 * The node's fold, on a worker thread of its own (fold-thread-worker.ts): it reads the topic, checks
 * signatures and commits batches to the database, while this thread answers queries from the same
 * file. A batch never delays an answer by more than the time the OS gives the other thread.
 */
export class FoldThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  #nextId = 0;
  #closing = false;
  #exited: Error | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  /** Starts the thread; resolves once it opened the database and loaded the fold's state. */
  static open(opts: FoldThreadOptions): Promise<FoldThread> {
    const data: FoldThreadData = {
      dbPath: opts.dbPath,
      brokers: opts.brokers,
      security: toPlainSecurity(opts.security),
      topic: opts.topic,
      groupId: opts.groupId,
      authority: opts.authority.bytes,
      verifyThreads: opts.verifyThreads,
      logLevel: opts.logLevel,
    };
    // Built code starts the built thread; TypeScript source starts it through its tsx entry.
    const entry = runsBuilt
      ? distEntry('fold-thread-worker')
      : new URL('./fold-thread-entry.mjs', import.meta.url);
    const worker = new Worker(entry, { workerData: data });
    const thread = new FoldThread(worker);
    return new Promise((resolve, reject) => {
      let opened = false;
      let lastError: Error | undefined;
      worker.on('message', (msg: FoldThreadMessage) => {
        if (msg.type === 'ready') {
          opened = true;
          resolve(thread);
        } else if (msg.type === 'folded') opts.onFolded(msg.result);
        else if (msg.type === 'done') thread.#settle(msg);
        else if (msg.type === 'invariant') lastError = new InvariantViolation(msg.message);
      });
      worker.on('error', (err) => {
        lastError = err;
      });
      worker.on('exit', (code) => {
        const err =
          lastError ??
          (code === INVARIANT_EXIT_CODE
            ? new InvariantViolation('the fold thread ended on a broken invariant')
            : new Error(`the fold thread ended (exit code ${code})`));
        thread.#exited = err;
        for (const p of thread.#pending.values()) p.reject(err);
        thread.#pending.clear();
        if (!opened) reject(err);
        else if (!thread.#closing) opts.onExit(err);
      });
    });
  }

  /** Starts consuming the topic (again, after stop()). */
  start(): Promise<void> {
    return this.#request('start');
  }

  /** Stops consuming; the slice being folded is committed or not, as a crash would leave it. */
  stop(): Promise<void> {
    return this.#request('stop');
  }

  /** Stops consuming, closes the signature workers and the database, and ends the thread. */
  async close(): Promise<void> {
    this.#closing = true;
    // A thread that ended already has nothing left to close; SQLite rolled back what it had not committed.
    if (this.#exited) return;
    try {
      await this.#request('close');
    } finally {
      await this.#worker.terminate();
    }
  }

  /** Ends the thread at once, mid-batch if need be, as a crash would: `onExit` is told (tests). */
  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }

  /** Makes the thread die from within (tests); resolves once it ended and `onExit` was told. */
  async fail(how: InjectedFailure): Promise<void> {
    if (this.#exited) return;
    const ended = new Promise((resolve) => this.#worker.once('exit', resolve));
    this.#worker.postMessage({ id: this.#nextId++, type: 'fail', how } satisfies FoldThreadRequest);
    await ended;
  }

  #request(type: 'start' | 'stop' | 'close'): Promise<void> {
    if (this.#exited) return Promise.reject(this.#exited);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, type } satisfies FoldThreadRequest);
    });
  }

  #settle(msg: Extract<FoldThreadMessage, { type: 'done' }>): void {
    const p = this.#pending.get(msg.id);
    this.#pending.delete(msg.id);
    if (msg.error === undefined) p?.resolve();
    else p?.reject(new Error(msg.error));
  }
}
