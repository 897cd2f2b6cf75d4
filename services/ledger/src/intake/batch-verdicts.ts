import { Buffer } from 'node:buffer';

/** Batch signatures remembered: enough for the batches of a few minutes of ingest at 10,000 events/s. */
const MAX_VERDICTS = 20_000;

/**
 * Verdicts on batch signatures (SignedEvent v2), by key, signed message (the batch's size and root)
 * and signature: every record of a batch carries the same three, so the signature is verified once
 * and its other records, in this consumer batch or a later one, reuse the answer. A verdict depends
 * on those bytes alone, so sharing one cache between ledgers of one process is safe. Bounded: the
 * oldest verdict goes first; a forgotten one is only verified again.
 */
export class BatchVerdicts {
  readonly #verdicts = new Map<string, boolean>();
  readonly #max: number;

  constructor(max = MAX_VERDICTS) {
    this.#max = max;
  }

  get size(): number {
    return this.#verdicts.size;
  }

  /** The cache key of a signature check: raw key, message and signature, in hex. */
  static idOf(key: Uint8Array, message: Uint8Array, signature: Uint8Array): string {
    return `${hex(key)}:${hex(message)}:${hex(signature)}`;
  }

  get(id: string): boolean | undefined {
    return this.#verdicts.get(id);
  }

  set(id: string, ok: boolean): void {
    this.#verdicts.set(id, ok);
    if (this.#verdicts.size > this.#max) this.#verdicts.delete(this.#verdicts.keys().next().value!);
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
