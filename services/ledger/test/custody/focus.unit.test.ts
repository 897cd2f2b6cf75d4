// focusEvent leaves out of an event the items no answer about the items of interest reads. This checks
// that an item's state is the same whether its history is folded focused or whole.

import type { CustodyEvent } from '@rxledger/events';
import { describe, expect, it } from 'vitest';
import { entityState, focusEvent, foldCustody } from '../../src/custody/index.ts';
import { pack, prng, randomHistory, sscc } from './history.ts';

const ITEMS = [...['R1', 'R2', 'R3', 'R4', 'R5'].map((s) => pack(s)), sscc(11), sscc(12), sscc(13)];

const named = (e: CustodyEvent): string[] =>
  'items' in e ? e.items : 'children' in e ? [e.parent, ...e.children] : [];

/** What ItemHistory gathers for `item`: it and every container that ever held it, transitively. */
function subjectsOf(item: string, events: readonly CustodyEvent[]): Set<string> {
  const subjects = new Set([item]);
  for (let grew = true; grew;) {
    grew = false;
    for (const e of events) {
      if (e.type !== 'AGGREGATE' || subjects.has(e.parent)) continue;
      if (e.children.some((c) => subjects.has(c))) grew = subjects.add(e.parent) !== undefined;
    }
  }
  return subjects;
}

describe('focusEvent', () => {
  it('gives every item the same state, anomalies and history as its unfocused history, on 300 seeded random histories', () => {
    const random = prng(7);
    let trimmed = 0;
    for (let run = 0; run < 300; run++) {
      const events = randomHistory(random, 40, { commissionFirst: run % 2 === 0 });
      for (const item of ITEMS) {
        const subjects = subjectsOf(item, events);
        const entries = events
          .map((event, i) => ({ seq: i + 1, event }))
          .filter(({ event }) => event.type === 'RECALL' || named(event).some((u) => subjects.has(u)));
        const focused = entries.map(({ seq, event }) => ({ seq, event: focusEvent(event, subjects) }));
        trimmed += focused.filter((f, i) => f.event !== entries[i]!.event).length;
        expect(entityState(foldCustody(focused), item), `run ${run}: ${item}`).toEqual(
          entityState(foldCustody(entries), item),
        );
      }
    }
    // The property is only worth something if focusing left items out often.
    expect(trimmed).toBeGreaterThan(1_000);
  });

  it('keeps every child of a DISAGGREGATE that names none of the subjects (no children means all)', () => {
    const event = {
      type: 'DISAGGREGATE',
      parent: sscc(11),
      children: [pack('R2')],
    } as unknown as CustodyEvent;
    expect(focusEvent(event, new Set([pack('R1'), sscc(11)]))).toBe(event);
    const some = { ...event, children: [pack('R1'), pack('R2')] } as CustodyEvent;
    expect(focusEvent(some, new Set([pack('R1'), sscc(11)]))).toMatchObject({ children: [pack('R1')] });
  });
});
