// The fold reads effects of container events lazily, walking up from an item (custody-world.ts). This
// checks it against the obvious model that writes every effect into every descendant at once.

import { describe, expect, it } from 'vitest';
import type { CustodyEntry } from '../../src/custody/index.ts';
import { compareEntries, entityState, foldCustody } from '../../src/custody/index.ts';
import { prng, randomHistory } from './history.ts';

interface Eager {
  kind: 'pack' | 'container';
  exists: boolean;
  parent?: string;
  custody?: { transit: string; custodian: string; location: string; inTransit?: object };
  terminal?: { status: string; reason?: string; seq: number };
}

function eagerFold(entries: readonly CustodyEntry[]): Map<string, Eager> {
  const items = new Map<string, Eager>();
  const kids = new Map<string, Set<string>>();
  const get = (uri: string): Eager => {
    let e = items.get(uri);
    if (e === undefined) {
      e = { kind: uri.startsWith('https://id.gs1.org/00/') ? 'container' : 'pack', exists: false };
      items.set(uri, e);
    }
    return e;
  };
  const below = (uri: string): string[] => [...(kids.get(uri) ?? [])].flatMap((k) => [k, ...below(k)]);
  const detach = (uri: string) => {
    const e = get(uri);
    if (e.parent !== undefined) kids.get(e.parent)?.delete(uri);
    e.parent = undefined;
  };
  const ancestors = (uri: string): string[] => {
    const p = get(uri).parent;
    return p === undefined ? [] : [p, ...ancestors(p)];
  };
  for (const { seq, event: ev } of [...entries].sort(compareEntries)) {
    const where = { custodian: ev.party, location: ev.site };
    switch (ev.type) {
      case 'COMMISSION':
        for (const uri of new Set(ev.items)) {
          const e = get(uri);
          if (e.exists) continue;
          e.exists = true;
          // A container commissioned after things went into it (by eventTime) speaks for them too.
          for (const x of [uri, ...below(uri)]) get(x).custody = { transit: 'ACTIVE', ...where };
        }
        break;
      case 'AGGREGATE': {
        // A container first seen as an aggregation's parent comes into being there.
        const built = !items.has(ev.parent);
        const parent = get(ev.parent);
        if (built && parent.kind === 'container') {
          parent.exists = true;
          parent.custody = { transit: 'ACTIVE', ...where };
        }
        const children = [...new Set(ev.children)].filter((c) => c !== ev.parent);
        children.forEach(get);
        if (get(ev.parent).kind !== 'container') break;
        for (const c of children) {
          if (get(c).parent === ev.parent || [ev.parent, ...ancestors(ev.parent)].includes(c)) continue;
          detach(c);
          get(c).parent = ev.parent;
          kids.set(ev.parent, (kids.get(ev.parent) ?? new Set()).add(c));
        }
        break;
      }
      case 'DISAGGREGATE': {
        get(ev.parent);
        ev.children.forEach(get);
        const out = ev.children.length === 0 ? [...(kids.get(ev.parent) ?? [])] : ev.children;
        for (const c of out) if (get(c).parent === ev.parent) detach(c);
        break;
      }
      case 'SHIP':
      case 'RECEIVE': {
        const named = [...new Set(ev.items)];
        named.forEach(get);
        if (ev.type === 'SHIP') {
          for (const uri of named) if (!ancestors(uri).some((a) => named.includes(a))) detach(uri);
        }
        const custody =
          ev.type === 'SHIP'
            ? { transit: 'IN_TRANSIT', ...where, inTransit: { from: ev.party, to: ev.to, seq } }
            : { transit: 'ACTIVE', ...where };
        for (const uri of named) for (const x of [uri, ...below(uri)]) get(x).custody = custody;
        break;
      }
      case 'DISPENSE':
        for (const uri of new Set(ev.items)) {
          if (get(uri).kind !== 'pack') continue;
          detach(uri);
          get(uri).terminal ??= { status: 'DISPENSED', seq };
        }
        break;
      case 'DECOMMISSION': {
        const active = [...new Set(ev.items)].filter((uri) => get(uri).terminal === undefined);
        const terminal = { status: 'DECOMMISSIONED', reason: ev.reason, seq };
        for (const uri of active) get(uri).terminal = terminal;
        for (const uri of active) for (const x of below(uri)) get(x).terminal ??= terminal;
        break;
      }
      default:
        break;
    }
  }
  return items;
}

describe('the lazy fold agrees with an eager model on custody, status and containment', () => {
  it('on 300 seeded random histories', () => {
    const random = prng(99);
    for (let run = 0; run < 300; run++) {
      const events = randomHistory(random, 40, { commissionFirst: run % 2 === 0 });
      const entries = events.map((event, i) => ({ seq: i + 1, event }));
      const world = foldCustody(entries);
      const model = eagerFold(entries);
      expect([...world.entities.keys()].sort()).toEqual([...model.keys()].sort());
      for (const [uri, e] of model) {
        const s = entityState(world, uri);
        const lazy = {
          exists: s?.exists,
          status: s?.status,
          parent: s?.parent,
          custodian: s?.custodian,
          location: s?.location,
          inTransit: s?.inTransit,
          terminalSeq: s?.dispensedAt?.seq ?? s?.decommissionedAt?.seq,
          reason: s?.decommissionReason,
        };
        const status = e.terminal?.status ?? e.custody?.transit ?? 'ACTIVE';
        expect(lazy, `run ${run}: ${uri}`).toEqual({
          exists: e.exists,
          status,
          parent: e.parent,
          custodian: e.custody?.custodian,
          location: e.custody?.location,
          inTransit: e.custody?.inTransit,
          terminalSeq: e.terminal?.seq,
          reason: e.terminal?.reason,
        });
      }
    }
  });
});
