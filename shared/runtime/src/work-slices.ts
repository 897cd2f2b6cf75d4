import { setImmediate } from 'node:timers/promises';

/**
 * Paces a long loop on a thread that also answers requests: check `due` between items and, when it is,
 * `await next()`, which lets the event loop run (I/O, timers, other requests) and starts a new slice.
 * No item waits longer than one slice plus the item in hand.
 * @example const slices = new WorkSlices(); for (const x of xs) { if (slices.due) await slices.next(); work(x); }
 */
export class WorkSlices {
  readonly #sliceMs: number;
  #until: number;

  constructor(sliceMs = 5) {
    this.#sliceMs = sliceMs;
    this.#until = performance.now() + sliceMs;
  }

  /** Whether this slice's time is up. */
  get due(): boolean {
    return performance.now() >= this.#until;
  }

  /** Yields to the event loop once, then starts a new slice. */
  async next(): Promise<void> {
    await setImmediate();
    this.#until = performance.now() + this.#sliceMs;
  }
}
