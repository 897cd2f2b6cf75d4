import { describe, expect, it } from 'vitest';
import { BoundedLru } from '../src/bounded-lru.ts';

describe('BoundedLru', () => {
  it('forgets the least recently used entry beyond maxEntries', () => {
    const lru = new BoundedLru<string, number>({ maxEntries: 2, maxBytes: 1e9 }, () => 1);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect([lru.peek('a'), lru.peek('b'), lru.peek('c')]).toEqual([1, undefined, 3]);
  });

  it('forgets old entries until the bytes fit, but keeps the newest even when it alone is too big', () => {
    const lru = new BoundedLru<string, string>({ maxEntries: 100, maxBytes: 10 }, (v) => v.length);
    lru.set('a', 'xxxx');
    lru.set('b', 'yyyy');
    lru.set('c', 'zzzz');
    expect(lru.size).toBe(2);
    expect(lru.bytes).toBe(8);
    lru.set('d', 'w'.repeat(50));
    expect(lru.size).toBe(1);
    expect(lru.peek('d')).toBeDefined();
  });

  it('peek does not refresh recency; replacing a key accounts its bytes once', () => {
    const lru = new BoundedLru<string, string>({ maxEntries: 2, maxBytes: 1e9 }, (v) => v.length);
    lru.set('a', '1');
    lru.set('b', '22');
    lru.peek('a');
    lru.set('a', '333');
    expect(lru.bytes).toBe(5);
    lru.set('c', '4');
    expect(lru.peek('b')).toBeUndefined();
    expect(lru.delete('a')).toBe(true);
    expect(lru.bytes).toBe(1);
  });
});
