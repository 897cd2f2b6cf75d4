// A tiny DSL for custody histories: `history().commission(MAKER, [p1]).ship(MAKER, [p1], PHARMACY)`
// appends ledger entries with increasing seq and eventTime (one minute apart unless `at` is given).
// Identifiers carry valid check digits, built by @rxledger/gs1.
import type { CustodyEvent, DecommissionReason, EventHeader } from '@rxledger/events';
import { checkDigit, sgtinUri, ssccUri } from '@rxledger/gs1';
import {
  type AnomalyCode,
  type CustodyEntry,
  type CustodyWorld,
  deriveItemState,
  type EntityState,
  foldCustody,
} from '../../src/custody/index.ts';

const gln = (twelve: string) => twelve + checkDigit(twelve);

/** Parties (GLN-13). */
export const MAKER = gln('401234500000');
export const WHOLESALER = gln('950110153000');
export const PHARMACY = gln('952000000001');
export const OTHER_PHARMACY = gln('952000000002');
export const STRANGER = gln('952000000009');

/** The site each party signs from unless told otherwise. */
export const SITE: Record<string, string> = {
  [MAKER]: gln('401234500001'),
  [WHOLESALER]: gln('950110153001'),
  [PHARMACY]: gln('952000000101'),
  [OTHER_PHARMACY]: gln('952000000201'),
  [STRANGER]: gln('952000000901'),
};

export const GTIN = '04012345123456';
export const OTHER_GTIN = `0401234512346${checkDigit('0401234512346')}`;
export const T0 = Date.UTC(2025, 2, 1, 8, 0, 0);
export const MINUTE = 60_000;

/** A pack of GTIN (or `gtin`) with `serial`. */
export const pack = (serial: string, gtin = GTIN) => sgtinUri(gtin, serial);
/** A case or pallet: SSCC with serial reference `n`. */
export const sscc = (n: number) => {
  const body = `04012345${String(n).padStart(9, '0')}`;
  return ssccUri(body + checkDigit(body));
};
/** `n` packs with serials `${prefix}1`..`${prefix}n`. */
export const packs = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => pack(`${prefix}${i + 1}`));

/** When, where and in which ledger position an event lands; all optional. */
export interface At {
  /** eventTime, epoch ms; default one minute after the previous event. */
  at?: number;
  /** Ledger seq; default the next one. */
  seq?: number;
  site?: string;
  /** Broker time (appendedAt), epoch ms; default none, except for an undo: its eventTime. */
  appended?: number;
}

export class History {
  readonly entries: CustodyEntry[] = [];
  private clock = T0;
  private nextSeq = 1;

  /** Seq of the last entry added. */
  get lastSeq(): number {
    return this.entries.at(-1)?.seq ?? 0;
  }

  commission(by: string, items: string[], opts: At & { lot?: string; expiry?: string } = {}): this {
    return this.add(by, opts, {
      type: 'COMMISSION',
      items,
      lot: opts.lot ?? 'LOT1',
      expiry: opts.expiry ?? '271231',
    });
  }

  aggregate(by: string, parent: string, children: string[], opts: At = {}): this {
    return this.add(by, opts, { type: 'AGGREGATE', parent, children });
  }

  disaggregate(by: string, parent: string, children: string[] = [], opts: At = {}): this {
    return this.add(by, opts, { type: 'DISAGGREGATE', parent, children });
  }

  ship(by: string, items: string[], to: string, opts: At = {}): this {
    return this.add(by, opts, { type: 'SHIP', items, to });
  }

  receive(by: string, items: string[], from: string, opts: At = {}): this {
    return this.add(by, opts, { type: 'RECEIVE', items, from });
  }

  dispense(by: string, items: string[], opts: At = {}): this {
    return this.add(by, opts, { type: 'DISPENSE', items });
  }

  decommission(by: string, items: string[], reason: DecommissionReason = 'destroyed', opts: At = {}): this {
    return this.add(by, opts, { type: 'DECOMMISSION', items, reason });
  }

  recall(by: string, lot: string, opts: At & { gtin?: string; reason?: string } = {}): this {
    return this.add(by, opts, {
      type: 'RECALL',
      gtin: opts.gtin ?? GTIN,
      lot,
      reason: opts.reason ?? 'contamination',
    });
  }

  /** An UNDO_DISPENSE of the DISPENSE with eventId `dispense` (the history's eventIds are `evt-${seq}`). */
  undo(by: string, dispense: string, items: string[], opts: At = {}): this {
    this.add(by, opts, { type: 'UNDO_DISPENSE', dispense, items });
    const entry = this.entries.at(-1)!;
    entry.appendedAt = opts.appended ?? entry.event.eventTime;
    return this;
  }

  registry(opts: At = {}): this {
    return this.add(MAKER, opts, { type: 'REGISTRY', changes: [] });
  }

  /** The state of `item` after everything so far. */
  state(item: string): EntityState {
    const state = deriveItemState(item, this.entries);
    if (state === undefined) throw new Error(`no entry names ${item}`);
    return state;
  }

  world(): CustodyWorld {
    return foldCustody(this.entries);
  }

  private add(by: string, opts: At, body: Record<string, unknown> & { type: CustodyEvent['type'] }): this {
    const seq = opts.seq ?? this.nextSeq;
    this.nextSeq = Math.max(this.nextSeq, seq + 1);
    const eventTime = opts.at ?? this.clock + MINUTE;
    this.clock = Math.max(this.clock, eventTime);
    const header: EventHeader = {
      eventId: `evt-${seq}`,
      eventTime,
      eventTimeOffsetMinutes: 60,
      party: by,
      site: opts.site ?? SITE[by] ?? by,
    };
    const entry: CustodyEntry = { seq, event: { ...header, ...body } as CustodyEvent };
    if (opts.appended !== undefined) entry.appendedAt = opts.appended;
    this.entries.push(entry);
    return this;
  }
}

export const history = () => new History();

/** The anomalies of a state as [code, seq] pairs, in order. */
export const codes = (state: EntityState | undefined): [AnomalyCode, number][] =>
  (state?.anomalies ?? []).map((a) => [a.code, a.seq]);

/** A seeded PRNG (mulberry32), so a failing permutation reproduces. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher-Yates shuffle of a copy of `xs` driven by `random`. */
export function shuffle<T>(xs: readonly T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const PARTIES = [MAKER, WHOLESALER, PHARMACY, OTHER_PHARMACY];
const PACKS = [pack('R1'), pack('R2'), pack('R3'), pack('R4'), pack('R5')];
const CONTAINERS = [sscc(11), sscc(12), sscc(13)];

/** Random events over a small pool, at distinct eventTimes; eventIds follow eventTime, not seq. */
export function randomHistory(
  random: () => number,
  n: number,
  opts = { commissionFirst: true },
): CustodyEvent[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const some = (xs: readonly string[]) => xs.filter(() => random() < 0.4).concat(pick(xs));
  const items = () => some([...PACKS, ...CONTAINERS]);
  const events: CustodyEvent[] = [];
  const add = (party: string, body: Record<string, unknown>) => {
    const i = events.length;
    events.push({
      eventId: `r${i}`,
      eventTime: T0 + i * MINUTE,
      eventTimeOffsetMinutes: 0,
      party,
      site: SITE[party] ?? party,
      ...body,
    } as CustodyEvent);
  };
  if (opts.commissionFirst) {
    add(MAKER, { type: 'COMMISSION', items: PACKS.slice(0, 3), lot: 'LOT1', expiry: '271231' });
    add(MAKER, {
      type: 'COMMISSION',
      items: [...PACKS.slice(3), ...CONTAINERS],
      lot: 'LOT2',
      expiry: '271231',
    });
  }
  while (events.length < n) {
    const party = pick(PARTIES);
    switch (Math.floor(random() * 9)) {
      case 0:
        add(MAKER, { type: 'COMMISSION', items: items(), lot: pick(['LOT1', 'LOT2']), expiry: '271231' });
        break;
      case 1:
        add(party, {
          type: 'AGGREGATE',
          parent: pick(CONTAINERS),
          children: some([...PACKS, ...CONTAINERS]),
        });
        break;
      case 2:
        add(party, {
          type: 'DISAGGREGATE',
          parent: pick(CONTAINERS),
          children: random() < 0.5 ? [] : items(),
        });
        break;
      case 3:
      case 4:
        add(party, { type: 'SHIP', items: items(), to: pick(PARTIES) });
        break;
      case 5:
      case 6:
        add(party, { type: 'RECEIVE', items: items(), from: pick(PARTIES) });
        break;
      case 7:
        add(party, { type: 'DISPENSE', items: some(PACKS) });
        break;
      default:
        if (random() < 0.5) add(party, { type: 'DECOMMISSION', items: items(), reason: 'damaged' });
        else
          add(MAKER, {
            type: 'RECALL',
            gtin: PACKS[0]?.split('/')[4],
            lot: pick(['LOT1', 'LOT2']),
            reason: 'x',
          });
    }
  }
  return events;
}
