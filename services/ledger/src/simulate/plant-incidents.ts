import type { AlertCode } from '../answers/judge-verify.ts';
import { uriOf } from './pallet-life.ts';
import { type IncidentKind, type SimBook, type SimPack, TIME } from './sim-book.ts';
import type { SimParty } from './sim-network.ts';

const { HOUR, DAY } = TIME;

/** Every incident kind with the alert codes verify must raise for it (a subset of what it says). */
export const INCIDENT_ALERTS: Record<IncidentKind, AlertCode[]> = {
  // A clone dispensed at another pharmacy: the genuine pack's history breaks the rules.
  CLONE: ['CHAIN_ANOMALY'],
  COUNTERFEIT: ['UNKNOWN_SERIAL'],
  LOT_MISMATCH: ['LOT_MISMATCH'],
  EXPIRY_MISMATCH: ['EXPIRY_MISMATCH'],
  // Received by a pharmacy it was never shipped to.
  DIVERTED: ['CHAIN_ANOMALY'],
  DOUBLE_DISPENSE: ['ALREADY_DISPENSED', 'CHAIN_ANOMALY'],
  STOLEN_RESOLD: ['DECOMMISSIONED', 'CHAIN_ANOMALY'],
  RECALLED: ['RECALLED'],
};

type Planter = (book: SimBook, pack: SimPack) => void;

/** Which packs each incident can befall, and what it does to one. */
const PLANTERS: Record<
  Exclude<IncidentKind, 'COUNTERFEIT' | 'RECALLED'>,
  [(p: SimPack, b: SimBook) => boolean, Planter]
> = {
  CLONE: [activeAtPharmacy, (b, p) => void dispenseElsewhere(b, p, p.last + b.rng.int(1, 6) * HOUR)],
  LOT_MISMATCH: [activeAtPharmacy, (_b, p) => void (p.scan = { lot: `${p.lot}X` })],
  EXPIRY_MISMATCH: [activeAtPharmacy, (_b, p) => void (p.scan = { expiry: otherExpiry(p.expiry) })],
  DIVERTED: [activeAtPharmacy, divert],
  DOUBLE_DISPENSE: [(p, b) => p.state === 'DISPENSED' && isPharmacy(b, p.holder), dispenseAgain],
  STOLEN_RESOLD: [(p) => p.state === 'ACTIVE' && p.loose === true, stealAndResell],
};

/**
 * Plants `perKind` incidents of every kind on packs not yet touched by one, and recalls the lot of the
 * recall pallet. The first of each kind takes the earliest pack it can (the demo prints those); the
 * rest are drawn at random. A kind the network cannot stage (one pharmacy: no "elsewhere") is skipped.
 */
export function plantIncidents(book: SimBook, perKind: number, recallPallet: number | undefined): void {
  if (recallPallet !== undefined) recallLot(book, recallPallet);
  for (const [kind, [eligible, plant]] of Object.entries(PLANTERS)) {
    if (needsTwoPharmacies(kind) && book.network.pharmacies.length < 2) continue;
    for (let n = 0; n < perKind; n++) {
      const pool = book.packs.filter((p) => !p.incident && p.pallet !== recallPallet && eligible(p, book));
      if (pool.length === 0) break;
      const pack = n === 0 ? pool[0]! : book.rng.pick(pool);
      pack.incident = kind as IncidentKind;
      plant(book, pack);
    }
  }
  for (let n = 0; n < perKind; n++) counterfeit(book);
  for (const p of book.packs) if (p.incident) p.expectAlerts = INCIDENT_ALERTS[p.incident];
}

const needsTwoPharmacies = (kind: string) => ['CLONE', 'DIVERTED'].includes(kind);
const isPharmacy = (b: SimBook, gln: string) => b.network.pharmacies.some((p) => p.gln === gln);
function activeAtPharmacy(p: SimPack, b: SimBook): boolean {
  return p.state === 'ACTIVE' && isPharmacy(b, p.holder);
}
const party = (b: SimBook, gln: string): SimParty =>
  [...b.network.distributors, ...b.network.pharmacies, ...b.network.manufacturers].find(
    (p) => p.gln === gln,
  )!;
const otherPharmacy = (b: SimBook, gln: string) =>
  b.rng.pick(b.network.pharmacies.filter((p) => p.gln !== gln));

/** A pharmacy that never held the pack dispenses it (a clone, or a stolen pack resold there); its GLN. */
function dispenseElsewhere(b: SimBook, p: SimPack, when: number): string {
  const there = otherPharmacy(b, p.holder);
  b.emit(there, there.sites[0]!, when, 'DISPENSE', { items: [uriOf(p)] });
  return there.gln;
}

/** A pharmacy receives the pack from its distributor though it was shipped to another one. */
function divert(b: SimBook, p: SimPack): void {
  const there = otherPharmacy(b, p.holder);
  b.emit(there, there.sites[0]!, p.last + b.rng.int(1, 6) * HOUR, 'RECEIVE', {
    items: [uriOf(p)],
    from: p.from,
  });
  p.at = there.gln;
}

function dispenseAgain(b: SimBook, p: SimPack): void {
  const here = party(b, p.holder);
  b.emit(here, here.sites[0]!, p.last + b.rng.int(1, 12) * HOUR, 'DISPENSE', { items: [uriOf(p)] });
}

/** Decommissioned as stolen at the distributor, then dispensed by a pharmacy a day later. */
function stealAndResell(b: SimBook, p: SimPack): void {
  const distributor = party(b, p.holder);
  const stolen = p.last + b.rng.int(1, 6) * HOUR;
  b.emit(distributor, distributor.sites[0]!, stolen, 'DECOMMISSION', { items: [uriOf(p)], reason: 'stolen' });
  p.state = 'DECOMMISSIONED';
  p.at = dispenseElsewhere(b, p, stolen + DAY);
}

/** A serial its manufacturer never commissioned, on a known product, turning up at a pharmacy. */
function counterfeit(b: SimBook): void {
  const model = b.rng.pick(b.packs);
  b.packs.push({
    ...model,
    serial: `${b.tag}X${String(b.packs.length).padStart(5, '0')}`,
    holder: b.rng.pick(b.network.pharmacies).gln,
    state: 'ACTIVE',
    incident: 'COUNTERFEIT',
    scan: undefined,
    at: undefined,
  });
}

/** The manufacturer recalls the pallet's lot once its packs are in stock everywhere. */
function recallLot(b: SimBook, pallet: number): void {
  const packs = b.packs.filter((p) => p.pallet === pallet);
  if (packs.length === 0) return;
  const maker = b.network.manufacturers.find((m) => m.gtins.includes(packs[0]!.gtin))!;
  const when = Math.max(...packs.map((p) => p.last)) + b.rng.int(1, 6) * HOUR;
  b.emit(maker, maker.sites[0]!, when, 'RECALL', {
    gtin: packs[0]!.gtin,
    lot: packs[0]!.lot,
    reason: 'sterility assurance',
  });
  for (const p of packs) p.incident = 'RECALLED';
}

/** The same YYMMDD a month later (day 28 at most, so the date exists). */
function otherExpiry(expiry: string): string {
  const yy = Number(expiry.slice(0, 2));
  const mm = Number(expiry.slice(2, 4));
  const [y, m] = mm === 12 ? [yy + 1, 1] : [yy, mm + 1];
  const dd = Math.min(Number(expiry.slice(4, 6)) || 28, 28);
  return [y, m, dd].map((n) => String(n).padStart(2, '0')).join('');
}
