/** How many entries and how many bytes a BoundedLru may hold before it forgets the least recent. */
export interface LruLimits {
  maxEntries: number;
  maxBytes: number;
}

/**
 * A least-recently-used map bounded by entry count and by an estimate of bytes held, so that large
 * values (a 10,000-item event is ~500 KB) cannot push the process out of memory. A Map keeps insertion
 * order, so re-inserting on use makes its first key the least recently used one.
 */
export class BoundedLru<K, V> {
  readonly #map = new Map<K, { value: V; bytes: number }>();
  readonly #limits: LruLimits;
  readonly #sizeOf: (value: V) => number;
  #bytes = 0;

  constructor(limits: LruLimits, sizeOf: (value: V) => number) {
    if (!(limits.maxEntries >= 1) || !(limits.maxBytes >= 1)) throw new RangeError('LRU limits must be >= 1');
    this.#limits = limits;
    this.#sizeOf = sizeOf;
  }

  get size(): number {
    return this.#map.size;
  }

  /** Bytes held, by the sizeOf estimate. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    this.#map.delete(key);
    this.#map.set(key, entry);
    return entry.value;
  }

  /** The value for `key` without changing its recency. */
  peek(key: K): V | undefined {
    return this.#map.get(key)?.value;
  }

  /** Stores `value` as most recently used, then forgets the least recent entries beyond the limits. */
  set(key: K, value: V): void {
    this.delete(key);
    const bytes = this.#sizeOf(value);
    this.#map.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#map) {
      if (this.#map.size <= this.#limits.maxEntries && this.#bytes <= this.#limits.maxBytes) break;
      if (oldest === key) break;
      this.#map.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }

  delete(key: K): boolean {
    const entry = this.#map.get(key);
    if (entry === undefined) return false;
    this.#map.delete(key);
    this.#bytes -= entry.bytes;
    return true;
  }
}
