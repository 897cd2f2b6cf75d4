/**
 * Requests held until the fold decides what they ask (a long poll): instead of asking every few ms,
 * a scanner waiting for "did my event land" asks once with ?wait=, and the answer is re-judged after
 * each commit of the fold, only then. Bounded: past `max` waiting requests a new one is answered at
 * once, as without a wait.
 */
export class FoldWaits {
  readonly #waiting = new Set<Waiter>();
  readonly #max: number;

  constructor(opts: { max?: number } = {}) {
    this.#max = opts.max ?? 10_000;
  }

  /** How many requests wait now. */
  get size(): number {
    return this.#waiting.size;
  }

  /**
   * `decide()`'s first defined answer after a fold commit, or undefined once `ms` pass, `signal`
   * aborts (the client went away) or the node closes. A throw of `decide` rejects. `decide` is not
   * asked before the first commit: the caller asked it just now.
   */
  until<T>(decide: () => T | undefined, ms: number, signal?: AbortSignal): Promise<T | undefined> {
    if (ms <= 0 || this.#waiting.size >= this.#max || signal?.aborted) return Promise.resolve(undefined);
    return new Promise<T | undefined>((resolve, reject) => {
      const end = (settle: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', gone);
        this.#waiting.delete(waiter);
        settle();
      };
      const gone = () => end(() => resolve(undefined));
      const waiter: Waiter = {
        recheck: () => {
          try {
            const answer = decide();
            if (answer !== undefined) end(() => resolve(answer));
          } catch (err) {
            end(() => reject(err));
          }
        },
        close: gone,
      };
      const timer = setTimeout(gone, ms);
      signal?.addEventListener('abort', gone, { once: true });
      this.#waiting.add(waiter);
    });
  }

  /** The fold committed: every waiting request is judged again. */
  folded(): void {
    for (const waiter of [...this.#waiting]) waiter.recheck();
  }

  /** Answers every waiting request as undecided (the node is stopping). */
  close(): void {
    for (const waiter of [...this.#waiting]) waiter.close();
  }
}

interface Waiter {
  recheck(): void;
  close(): void;
}
