import { sgtinUri, ssccUri } from '@rxledger/gs1';
import { type SimBook, type SimPack, TIME } from './sim-book.ts';
import type { SimParty } from './sim-network.ts';

const { MINUTE, HOUR, DAY } = TIME;

/** Share of cases aggregated with the very eventTime of their packs' commissioning. */
const SAME_SECOND = 0.3;

/** What role a pallet plays in the plan: the recalled lot, the one the demo's printed serials come from. */
export type PalletRole = 'recall' | 'showcase' | 'ordinary';

/**
 * The life of one pallet of `count` packs, as custody events: commissioned at the line in cases,
 * the cases aggregated onto a pallet, shipped to a distributor, received and broken down, the packs
 * shipped on to pharmacies, received, and some dispensed or decommissioned. Returns its packs.
 */
export function palletLife(book: SimBook, index: number, count: number, role: PalletRole): SimPack[] {
  const { rng, network } = book;
  const maker = rng.pick(network.manufacturers);
  const site = rng.pick(maker.sites);
  const gtin = rng.pick(maker.gtins);
  const lot = `L${book.tag}${index}`;
  const expiry = yymmdd(book.opts.t0 + rng.int(400, 800) * DAY);
  // Six days back at most, so every event is inside the ledger's lateness window when it is posted.
  let t = book.opts.t0 - 6 * DAY + rng.int(0, 12) * HOUR;

  const packs: SimPack[] = [];
  const caseSize = rng.int(6, 12);
  const cases: string[] = [];
  for (let first = 0; first < count; first += caseSize) {
    const members = Array.from({ length: Math.min(caseSize, count - first) }, (_, i) => {
      const serial = `${book.tag}${String(book.packs.length + packs.length + i).padStart(5, '0')}`;
      return {
        gtin,
        serial,
        lot,
        expiry,
        pallet: index,
        holder: maker.gln,
        state: 'ACTIVE',
        last: t,
      } as SimPack;
    });
    const items = members.map(uriOf);
    book.emit(maker, site, t, 'COMMISSION', { items, lot, expiry });
    const sscc = ssccUri(book.sscc(maker.companyPrefix!));
    // Many lines stamp the case's aggregation in the same second as its packs' commissioning.
    const packed = rng.chance(SAME_SECOND) ? t : t + MINUTE;
    book.emit(maker, site, packed, 'AGGREGATE', { parent: sscc, children: items });
    cases.push(sscc);
    packs.push(...members);
    t += 2 * MINUTE;
  }
  const pallet = ssccUri(book.sscc(maker.companyPrefix!));
  book.emit(maker, site, (t += 10 * MINUTE), 'AGGREGATE', { parent: pallet, children: cases });
  const distributor = rng.pick(network.distributors);
  book.emit(maker, site, (t += HOUR), 'SHIP', { items: [pallet], to: distributor.gln });
  const dock = distributor.sites[0]!;
  book.emit(distributor, dock, (t += rng.int(6, 24) * HOUR), 'RECEIVE', { items: [pallet], from: maker.gln });
  book.emit(distributor, dock, (t += 10 * MINUTE), 'DISAGGREGATE', { parent: pallet });
  for (const c of cases) book.emit(distributor, dock, (t += MINUTE), 'DISAGGREGATE', { parent: c });
  for (const p of packs) Object.assign(p, { holder: distributor.gln, last: t, loose: true });
  shipOn(book, distributor, packs, t, role);
  return packs;
}

/** The distributor ships most packs on to pharmacies, one shipment per pharmacy; a few stay in stock. */
function shipOn(book: SimBook, distributor: SimParty, packs: SimPack[], t: number, role: PalletRole): void {
  const { rng, network } = book;
  const dock = distributor.sites[0]!;
  // The printed serials are all at the first pharmacy, so one pharmacist token tries them all.
  const pharmacies = role === 'ordinary' ? network.pharmacies : network.pharmacies.slice(0, 1);
  const byPharmacy = new Map<SimParty, SimPack[]>();
  for (const p of packs) {
    if (role === 'ordinary' && rng.chance(0.12)) continue;
    const to = rng.pick(pharmacies);
    byPharmacy.set(to, [...(byPharmacy.get(to) ?? []), p]);
  }
  for (const [pharmacy, group] of byPharmacy) {
    const shipped = t + rng.int(2, 24) * HOUR;
    book.emit(distributor, dock, shipped, 'SHIP', { items: group.map(uriOf), to: pharmacy.gln });
    for (const p of group)
      Object.assign(p, { holder: pharmacy.gln, state: 'IN_TRANSIT', last: shipped, loose: false });
    if (role === 'ordinary' && rng.chance(0.05)) continue;
    const received = shipped + rng.int(2, 12) * HOUR;
    book.emit(pharmacy, pharmacy.sites[0]!, received, 'RECEIVE', {
      items: group.map(uriOf),
      from: distributor.gln,
    });
    for (const p of group) Object.assign(p, { state: 'ACTIVE', last: received, from: distributor.gln });
    if (role !== 'recall') atTheCounter(book, pharmacy, group, received, role);
  }
}

/** Some packs are dispensed over the next two days, a few decommissioned (damaged), the rest wait. */
function atTheCounter(
  book: SimBook,
  pharmacy: SimParty,
  group: SimPack[],
  from: number,
  role: PalletRole,
): void {
  const { rng } = book;
  group.forEach((p, i) => {
    const fate = role === 'showcase' ? (i % 3 === 1 ? 'dispense' : 'keep') : counterFate(rng.next());
    if (fate === 'keep') return;
    const when = from + rng.int(1, 48) * HOUR + rng.int(0, 59) * MINUTE;
    if (fate === 'dispense') book.emit(pharmacy, pharmacy.sites[0]!, when, 'DISPENSE', { items: [uriOf(p)] });
    else
      book.emit(pharmacy, pharmacy.sites[0]!, when, 'DECOMMISSION', { items: [uriOf(p)], reason: 'damaged' });
    Object.assign(p, { state: fate === 'dispense' ? 'DISPENSED' : 'DECOMMISSIONED', last: when });
  });
}

const counterFate = (x: number) => (x < 0.35 ? 'dispense' : x < 0.38 ? 'decommission' : 'keep');

/** The canonical URI of a simulated pack. */
export const uriOf = (p: { gtin: string; serial: string }) => sgtinUri(p.gtin, p.serial);

/** A date as GS1 AI (17) YYMMDD. */
export const yymmdd = (ms: number) => new Date(ms).toISOString().slice(2, 10).replaceAll('-', '');
