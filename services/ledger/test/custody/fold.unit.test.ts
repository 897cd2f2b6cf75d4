import { describe, expect, it } from 'vitest';
import { compareEntries, entityState, evolve, foldCustody, initialWorld } from '../../src/custody/index.ts';
import { history, MAKER, PHARMACY, pack } from './history.ts';

const p1 = pack('F1');

describe('foldCustody and evolve', () => {
  it('evolve, entry by entry in fold order, builds the world foldCustody builds', () => {
    const h = history().commission(MAKER, [p1]).ship(MAKER, [p1], PHARMACY).receive(PHARMACY, [p1], MAKER);
    let world = initialWorld();
    for (const entry of [...h.entries].sort(compareEntries)) world = evolve(world, entry);
    expect(entityState(world, p1)).toEqual(h.state(p1));
  });

  it('refuses an entry earlier than the last one it took: the past cannot be patched in place', () => {
    const h = history().commission(MAKER, [p1]).ship(MAKER, [p1], PHARMACY);
    const [first, second] = h.entries as [(typeof h.entries)[0], (typeof h.entries)[0]];
    const world = evolve(initialWorld(), second);
    expect(() => evolve(world, first)).toThrow(/must be folded in \(eventTime, seq\) order: seq 1/);
    expect(() => evolve(world, second)).toThrow(RangeError);
  });

  it('ignores REGISTRY entries', () => {
    const h = history().commission(MAKER, [p1]).registry().ship(MAKER, [p1], PHARMACY);
    expect(h.state(p1).history).toEqual([1, 3]);
    expect(h.world().applied.map((e) => e.seq)).toEqual([1, 3]);
  });

  it('takes an entry handed twice once (an entry naming both a pack and its container)', () => {
    const h = history().commission(MAKER, [p1]).ship(MAKER, [p1], PHARMACY);
    expect(foldCustody([...h.entries, ...h.entries]).applied).toHaveLength(2);
    expect(entityState(foldCustody([...h.entries, ...h.entries]), p1)).toEqual(h.state(p1));
  });

  it('throws on two different entries with one seq', () => {
    const h = history().commission(MAKER, [p1]).ship(MAKER, [p1], PHARMACY, { seq: 1 });
    expect(() => foldCustody(h.entries)).toThrow(/two different entries have seq 1/);
  });

  it('folds nothing into an empty world', () => {
    expect(foldCustody([])).toEqual(initialWorld());
    expect(entityState(initialWorld(), p1)).toBeUndefined();
  });
});
