import type { DecommissionReason } from '@rxledger/events';
import type { Anomaly } from './anomaly-codes.ts';
import {
  type CustodyGrant,
  type CustodyWorld,
  type EntityRecord,
  type EventRef,
  type FoldPosition,
  type PositionedAnomaly,
  type RecallMark,
  recallKey,
  type Shipment,
  type UndoRecord,
} from './custody-world.ts';
import { effectiveCustody } from './effective-custody.ts';

/** Status of custody (a recall is reported beside it, in `recalled`). */
export type CustodyStatus = 'ACTIVE' | 'IN_TRANSIT' | 'DISPENSED' | 'DECOMMISSIONED';

/** A legitimate custody step of an item's history: from the entry `seq` on, `party` held the item. */
export interface CustodyStep {
  seq: number;
  party: string;
}

/** A pack or container as the custody fold derived it. */
export interface EntityState {
  /** Canonical item URI. */
  uri: string;
  kind: 'pack' | 'container';
  /** Commissioned; false for an item only named by other events. */
  exists: boolean;
  status: CustodyStatus;
  /** The first recall of the pack's gtin+lot. */
  recalled?: RecallMark;
  /** GLN of the party holding it (while in transit: the shipper, until the receive). */
  custodian?: string;
  /** GLN of the site where it was last commissioned, shipped from or received. */
  location?: string;
  /** The open shipment, when IN_TRANSIT (or when an inactive item was shipped). */
  inTransit?: Shipment;
  /** The immediate enclosing container now. */
  parent?: string;
  gtin?: string;
  serial?: string;
  sscc?: string;
  lot?: string;
  /** YYMMDD as commissioned. */
  expiry?: string;
  /** GLN of the commissioning manufacturer. */
  commissionedBy?: string;
  commissionedAt?: EventRef;
  decommissionReason?: DecommissionReason;
  /** The DECOMMISSION that made it inactive; `container` when it went with that container. */
  decommissionedAt?: EventRef & { container?: string };
  /** The DISPENSE that stands (the first one, or the first since an undo), with its eventId. */
  dispensedAt?: EventRef & { eventId: string };
  /** The UNDO_DISPENSEs naming it, in fold order; one with `refusal` changed nothing. */
  undos?: Array<Omit<UndoRecord, 'pos'>>;
  /** Seq of the last entry of `history`. */
  lastSeq: number;
  /**
   * Seqs of the entries that make up its provenance, in fold order: the events naming it, its
   * containers' events while it was inside them, and the recalls of its lot.
   */
  history: number[];
  /**
   * The legitimate custody steps among them, in fold order: its own, and its containers' made while
   * it was legitimately inside them. An entry that broke the custody rules is in `history` (signed
   * evidence) but never here: it grants its signer nothing, not even sight of the history.
   */
  custodySteps: CustodyStep[];
  /** Its anomalies, and those of its containers raised while it was inside them (`container` set). */
  anomalies: Anomaly[];
}

/**
 * The state of one item in a folded world, or undefined when no event named it. O(depth) for the
 * custody, plus the length of its own and its containers' histories.
 */
export function entityState(world: CustodyWorld, uri: string): EntityState | undefined {
  const item = world.entities.get(uri);
  if (item === undefined) return undefined;
  const { custody, terminal } = effectiveCustody(world, item);

  const positions = new Set(item.history);
  const found: PositionedAnomaly[] = [...item.anomalies];
  const grants: CustodyGrant[] = [...item.grants];
  collectContainers(
    world,
    item,
    { lo: 0, hi: Number.POSITIVE_INFINITY, legit: true },
    { positions, found, grants },
    0,
  );
  let recalled: RecallMark | undefined;
  if (item.kind === 'pack' && item.gtin !== undefined && item.lot !== undefined) {
    const recalls = world.recalls.get(recallKey(item.gtin, item.lot)) ?? [];
    recalled = recalls[0]?.mark;
    for (const r of recalls) positions.add(r.pos);
  }
  const history = [...positions].sort((a, b) => a - b).map((pos) => world.applied[pos]?.seq ?? -1);
  // Stable: at one position, the item's own anomalies come before its containers'.
  const anomalies = found.sort((a, b) => a.pos - b.pos).map(({ pos: _, ...a }) => a);

  const state: EntityState = {
    uri,
    kind: item.kind,
    exists: item.exists,
    status: terminal?.status ?? (custody?.transit === 'IN_TRANSIT' ? 'IN_TRANSIT' : 'ACTIVE'),
    lastSeq: history.at(-1) ?? -1,
    history,
    custodySteps: custodySteps(world, grants),
    anomalies,
  };
  if (recalled !== undefined) state.recalled = recalled;
  if (custody !== undefined) {
    state.custodian = custody.custodian;
    state.location = custody.location;
    if (custody.inTransit !== undefined) state.inTransit = custody.inTransit;
  }
  if (item.parent !== undefined) state.parent = item.parent;
  for (const key of ['gtin', 'serial', 'sscc', 'lot', 'expiry'] as const) {
    const value = item[key];
    if (value !== undefined) state[key] = value;
  }
  if (item.commissionedAt !== undefined) {
    state.commissionedBy = item.commissionedAt.party;
    state.commissionedAt = item.commissionedAt;
  }
  if (terminal?.status === 'DISPENSED') {
    const eventId = world.applied[terminal.stamp]?.event.eventId ?? '';
    state.dispensedAt = { ...terminal.at, eventId };
  }
  if (item.undos !== undefined) state.undos = item.undos.map(({ pos: _, ...u }) => u);
  if (terminal?.status === 'DECOMMISSIONED') {
    if (terminal.reason !== undefined) state.decommissionReason = terminal.reason;
    state.decommissionedAt =
      terminal.container === undefined ? terminal.at : { ...terminal.at, container: terminal.container };
  }
  return state;
}

/** A window of fold positions, and whether every stay that led to it was legitimate. */
interface Window {
  lo: FoldPosition;
  hi: FoldPosition;
  legit: boolean;
}

/** What collectContainers gathers. */
interface Collected {
  positions: Set<FoldPosition>;
  found: PositionedAnomaly[];
  grants: CustodyGrant[];
}

// Adds the events and anomalies of the containers `item` was in during the window, recursively, each
// stay clipped to the window of the stay that led to it; their grants only through legitimate stays.
function collectContainers(
  world: CustodyWorld,
  item: EntityRecord,
  window: Window,
  out: Collected,
  depth: number,
): void {
  if (depth > world.entities.size) return; // containment has no cycles; this guards a corrupt world
  for (const stay of item.memberships) {
    const from = Math.max(stay.from, window.lo);
    const to = Math.min(stay.to ?? Number.POSITIVE_INFINITY, window.hi);
    const parent = world.entities.get(stay.parent);
    if (from > to || parent === undefined) continue;
    const within = (pos: FoldPosition) => pos >= from && pos <= to;
    for (const pos of parent.history) if (within(pos)) out.positions.add(pos);
    for (const a of parent.anomalies) if (within(a.pos)) out.found.push({ ...a, container: parent.uri });
    const legit = window.legit && stay.legit;
    if (legit) for (const g of parent.grants) if (within(g.pos)) out.grants.push(g);
    collectContainers(world, parent, { lo: from, hi: to, legit }, out, depth + 1);
  }
}

// Grants in fold order as ledger seqs, each (seq, party) once: a SHIP of a case and of a pack inside
// it grants the same party twice.
function custodySteps(world: CustodyWorld, grants: CustodyGrant[]): CustodyStep[] {
  const seen = new Set<string>();
  const steps: CustodyStep[] = [];
  for (const g of grants.sort((a, b) => a.pos - b.pos)) {
    const seq = world.applied[g.pos]?.seq ?? -1;
    const key = `${seq} ${g.party}`;
    if (seen.has(key)) continue;
    seen.add(key);
    steps.push({ seq, party: g.party });
  }
  return steps;
}
