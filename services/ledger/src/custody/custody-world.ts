import type { DecommissionReason } from '@rxledger/events';
import type { Anomaly } from './anomaly-codes.ts';
import type { CustodyEntry } from './custody-entry.ts';
import type { UndoRefusal } from './undo-rule.ts';

// Effects of an event reach everything inside the named containers, transitively. Writing them into
// every descendant would make a pallet of 1,000 packs cost 1,000 writes per SHIP; instead each entity
// keeps what was written about it, stamped with the fold position, and an entity's effective state is
// read by walking up its containers (O(depth)): an ancestor's record counts when it was written after
// the entity joined that chain. When an entity leaves a container its effective state is written into
// it ("materialized"), so the walk never needs past containers.

/** A position in the fold: the index of the entry in `CustodyWorld.applied`. */
export type FoldPosition = number;

/** An event that acted on an entity, as the entity state reports it. */
export interface EventRef {
  seq: number;
  /** GLN of the signer. */
  party: string;
  /** GLN of the site. */
  site: string;
  eventTime: number;
}

/** An open shipment. */
export interface Shipment {
  /** GLN of the shipper. */
  from: string;
  /** GLN of the party it is shipped to. */
  to: string;
  /** Ledger seq of the SHIP. */
  seq: number;
}

/** The first recall of a pack's lot. */
export interface RecallMark {
  seq: number;
  reason: string;
  eventTime: number;
}

/** Who holds the entity and where, as last written by COMMISSION, SHIP or RECEIVE. */
export interface CustodyRecord {
  stamp: FoldPosition;
  transit: 'ACTIVE' | 'IN_TRANSIT';
  custodian: string;
  location: string;
  inTransit?: Shipment;
  /**
   * Written by a legitimate custody step: one that raised no anomaly on the entity and acted on
   * custody that was itself legitimate. Custody follows the evidence either way, but only a
   * legitimate record lets the next step grant anything (DESIGN §3).
   */
  legit: boolean;
}

/** A legitimate custody step: from the entry at `pos`, `party` held the entity (or was shipped it). */
export interface CustodyGrant {
  pos: FoldPosition;
  party: string;
}

/** DISPENSED or DECOMMISSIONED: terminal, the first one wins. */
export interface TerminalRecord {
  stamp: FoldPosition;
  status: 'DISPENSED' | 'DECOMMISSIONED';
  at: EventRef;
  reason?: DecommissionReason;
  /** The container whose decommissioning took this entity with it. */
  container?: string;
}

/** An UNDO_DISPENSE naming the entity, and what it did: effective when `refusal` is unset. */
export interface UndoRecord {
  pos: FoldPosition;
  seq: number;
  eventId: string;
  /** eventId of the dispense it names, and that dispense's seq when it was found. */
  dispense: string;
  dispenseSeq?: number;
  refusal?: UndoRefusal;
}

/** A stay inside a container, from the AGGREGATE to the event that took it out (inclusive). */
export interface Membership {
  parent: string;
  from: FoldPosition;
  to?: FoldPosition;
  /**
   * The aggregation raised no anomaly on the entity or the container, both in legitimate custody:
   * only then do the container's custody and grants speak for what is inside it.
   */
  legit: boolean;
}

/** An anomaly with the fold position of its event. */
export interface PositionedAnomaly extends Anomaly {
  pos: FoldPosition;
}

/** What the fold knows about one pack or container; read it through entityState(). */
export interface EntityRecord {
  uri: string;
  kind: 'pack' | 'container';
  gtin?: string;
  serial?: string;
  sscc?: string;
  /** Commissioned (a stub named by events but never commissioned has exists: false). */
  exists: boolean;
  commissionedAt?: EventRef;
  lot?: string;
  expiry?: string;
  custody?: CustodyRecord;
  /**
   * Terminal records by stamp: the first is the entity's own status. Later ones were inherited from a
   * container it has since left; they still reach what was inside the entity at their time.
   */
  terminals: TerminalRecord[];
  /** The immediate container now. */
  parent?: string;
  /** Every stay in a container, oldest first; the last is open while `parent` is set. */
  memberships: Membership[];
  /** Positions of the events naming this entity, ascending. */
  history: FoldPosition[];
  /** Its legitimate custody steps, in fold order (not those its containers made). */
  grants: CustodyGrant[];
  anomalies: PositionedAnomaly[];
  /** The undos of its dispenses, in fold order (absent until the first). */
  undos?: UndoRecord[];
}

/**
 * The state of the custody fold (a Decider's state). It is owned by the fold: evolve() updates it in
 * place, so treat a world you were handed as read-only.
 */
export interface CustodyWorld {
  entities: Map<string, EntityRecord>;
  /** Children index: container URI → URIs directly inside it now. */
  children: Map<string, Set<string>>;
  /** RECALL entries by recallKey(gtin, lot), in fold order. */
  recalls: Map<string, { pos: FoldPosition; mark: RecallMark }[]>;
  /** The entries applied, in fold order; a FoldPosition indexes this. */
  applied: CustodyEntry[];
  /** The last entry evolve() took (REGISTRY entries included), to refuse going back in time. */
  last?: CustodyEntry;
}

/** The empty world. */
export function initialWorld(): CustodyWorld {
  return { entities: new Map(), children: new Map(), recalls: new Map(), applied: [] };
}

/** The key of a lot in `CustodyWorld.recalls`. */
export function recallKey(gtin: string, lot: string): string {
  return `${gtin}\u0000${lot}`;
}
