import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** One signature to check: raw 32-byte Ed25519 key, the signed message, the 64-byte signature. */
export interface SignatureJob {
  key: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/**
 * Ed25519 verification on worker threads, so that the fold's thread spends its time folding
 * (DESIGN §6: verify ahead of the fold). Answers are hints: the fold still runs every check, and
 * anything the pool did not see is verified inline.
 */
export class SignaturePool {
  readonly #workers: Worker[];
  readonly #pending = new Map<number, (results: Uint8Array) => void>();
  #nextId = 0;

  constructor(size = Math.max(1, availableParallelism() - 1)) {
    this.#workers = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('./signature-worker.mjs', import.meta.url), { execArgv: [] });
      worker.on('message', ({ id, results }: { id: number; results: Uint8Array }) => {
        this.#pending.get(id)?.(results);
        this.#pending.delete(id);
        // Idle workers must not keep the process alive; busy ones must, or an awaited verify is lost.
        if (this.#pending.size === 0) for (const w of this.#workers) w.unref();
      });
      worker.unref();
      return worker;
    });
  }

  /** Whether each signature verifies, in order. */
  async verify(jobs: SignatureJob[]): Promise<boolean[]> {
    if (jobs.length === 0) return [];
    const per = Math.ceil(jobs.length / this.#workers.length);
    const parts = await Promise.all(
      this.#workers.map((worker, w) => {
        const slice = jobs.slice(w * per, (w + 1) * per);
        if (slice.length === 0) return Promise.resolve(new Uint8Array(0));
        const id = this.#nextId++;
        return new Promise<Uint8Array>((resolve) => {
          this.#pending.set(id, resolve);
          worker.ref();
          const packed = packJobs(slice);
          worker.postMessage({ id, ...packed }, [packed.data.buffer, packed.keyOf.buffer]);
        });
      }),
    );
    return parts.flatMap((p) => [...p].map((b) => b === 1));
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
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
