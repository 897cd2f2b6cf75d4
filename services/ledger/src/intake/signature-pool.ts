import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { RxError } from '@rxledger/runtime';

/** One signature to check: raw 32-byte Ed25519 key, the signed message, the 64-byte signature. */
export interface SignatureJob {
  key: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/** One slice of a verify() call, sent to one worker and awaited until it answers or gives up. */
interface InFlight {
  worker: number;
  jobs: SignatureJob[];
  tries: number;
  resolve: (results: Uint8Array) => void;
  reject: (err: Error) => void;
}

/**
 * Ed25519 verification on worker threads of the fold thread, so that it spends its time folding
 * (DESIGN §6: verify ahead of the fold). Answers are hints: the fold still runs every check, and
 * anything the pool did not see is verified inline.
 *
 * A worker that dies (a crash, an out-of-memory kill, a terminate()) is replaced at once and its
 * slices are sent to the replacement, once: a slice whose second worker dies too is rejected with a
 * retriable error (the topic consumer then reads the batch again), so no verify() waits forever.
 */
export class SignaturePool {
  readonly #workers: Worker[];
  readonly #inFlight = new Map<number, InFlight>();
  readonly #onWorkerDied: (err: Error) => void;
  #nextId = 0;
  #closed = false;

  /** `onWorkerDied` hears of each death (for the log), after the replacement took over. */
  constructor(
    size = Math.max(1, availableParallelism() - 1),
    opts: { onWorkerDied?: (err: Error) => void } = {},
  ) {
    this.#onWorkerDied = opts.onWorkerDied ?? (() => {});
    this.#workers = [];
    for (let i = 0; i < size; i++) this.#workers.push(this.#spawn(i));
  }

  /** The live worker threads, in slot order (tests kill them to prove the pool heals). */
  get workers(): readonly Worker[] {
    return this.#workers;
  }

  /** Whether each signature verifies, in order. Rejects (retriable) only if two workers died on it. */
  async verify(jobs: SignatureJob[]): Promise<boolean[]> {
    if (jobs.length === 0) return [];
    if (this.#closed) throw new RxError('POOL_CLOSED', 'the signature pool is closed', { retriable: true });
    const per = Math.ceil(jobs.length / this.#workers.length);
    const parts = await Promise.all(
      this.#workers.map((_, w) => {
        const slice = jobs.slice(w * per, (w + 1) * per);
        if (slice.length === 0) return Promise.resolve(new Uint8Array(0));
        return new Promise<Uint8Array>((resolve, reject) => {
          const id = this.#nextId++;
          this.#inFlight.set(id, { worker: w, jobs: slice, tries: 1, resolve, reject });
          this.#post(id);
        });
      }),
    );
    return parts.flatMap((p) => [...p].map((b) => b === 1));
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const [id, slice] of this.#inFlight) {
      this.#inFlight.delete(id);
      slice.reject(new RxError('POOL_CLOSED', 'the signature pool closed', { retriable: true }));
    }
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  #spawn(slot: number): Worker {
    const worker = new Worker(new URL('./signature-worker.mjs', import.meta.url), { execArgv: [] });
    worker.on('message', ({ id, results }: { id: number; results: Uint8Array }) => {
      const slice = this.#inFlight.get(id);
      this.#inFlight.delete(id);
      slice?.resolve(results);
      this.#unrefIfIdle();
    });
    // An 'error' is followed by 'exit', which replaces the worker; without a listener the error
    // would be thrown on this thread.
    worker.on('error', (err) => this.#onWorkerDied(err));
    worker.once('exit', (code) => {
      if (this.#closed || this.#workers[slot] !== worker) return;
      this.#workers[slot] = this.#spawn(slot);
      for (const [id, slice] of this.#inFlight) {
        if (slice.worker !== slot) continue;
        if (slice.tries >= 2) {
          this.#inFlight.delete(id);
          slice.reject(
            new RxError(
              'WORKER_DIED',
              `two signature workers died verifying ${slice.jobs.length} signatures`,
              {
                retriable: true,
              },
            ),
          );
        } else {
          slice.tries++;
          this.#post(id);
        }
      }
      this.#unrefIfIdle();
      this.#onWorkerDied(new Error(`signature worker ${slot} exited with code ${code}; replaced`));
    });
    worker.unref();
    return worker;
  }

  #post(id: number): void {
    const slice = this.#inFlight.get(id)!;
    const worker = this.#workers[slice.worker]!;
    // Busy workers must keep the process alive, or an awaited verify is lost; idle ones must not.
    worker.ref();
    const packed = packJobs(slice.jobs);
    worker.postMessage({ id, ...packed }, [packed.data.buffer, packed.keyOf.buffer]);
  }

  #unrefIfIdle(): void {
    if (this.#inFlight.size === 0) for (const w of this.#workers) w.unref();
  }
}

/**
 * Jobs as one transferable buffer, so posting them copies nothing: each job is its 64-byte signature,
 * the message length (u32, little-endian) and the message; `keyOf[i]` indexes the distinct keys. A
 * signature of another length is sent as 64 zero bytes with `bad` set, and fails.
 */
function packJobs(jobs: readonly SignatureJob[]): {
  keys: Uint8Array[];
  keyOf: Uint16Array<ArrayBuffer>;
  bad: number[];
  data: Uint8Array<ArrayBuffer>;
} {
  const keys: Uint8Array[] = [];
  const keyIndex = new Map<Uint8Array, number>();
  const keyOf = new Uint16Array(jobs.length);
  const bad: number[] = [];
  let size = 0;
  for (const job of jobs) size += 68 + job.message.length;
  const data = new Uint8Array(size);
  const view = new DataView(data.buffer);
  let at = 0;
  jobs.forEach((job, i) => {
    let k = keyIndex.get(job.key);
    if (k === undefined) {
      k = keys.length;
      keys.push(job.key);
      keyIndex.set(job.key, k);
    }
    keyOf[i] = k;
    if (job.signature.length === 64) data.set(job.signature, at);
    else bad.push(i);
    view.setUint32(at + 64, job.message.length, true);
    data.set(job.message, at + 68);
    at += 68 + job.message.length;
  });
  return { keys, keyOf, bad, data };
}
