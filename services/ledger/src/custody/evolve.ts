import type { CustodyEventOf } from '@rxledger/events';
import type { AnomalyCode } from './anomaly-codes.ts';
import { type CustodyEntry, compareEntries } from './custody-entry.ts';
import {
  type CustodyRecord,
  type CustodyWorld,
  type EntityRecord,
  type EventRef,
  type FoldPosition,
  recallKey,
  type UndoRecord,
} from './custody-world.ts';
import { type EffectiveCustody, effectiveCustody } from './effective-custody.ts';
import { parseItemUri } from './parse-item-uri.ts';
import { type NamedDispense, type UndoFacts, undoRefusal } from './undo-rule.ts';

/**
 * Applies one ledger entry to the world (the Decider's evolve) and returns it. Entries MUST come in fold
 * order (compareEntries: eventTime, then seq); an entry earlier than the last one throws a RangeError,
 * because its effects cannot be inserted into the past: fold the whole history again (foldCustody).
 * The world is updated in place: copying it per event would cost O(world) per entry.
 *
 * Custody follows the signed evidence: an event that breaks a rule is still applied as far as it can be
 * and raises an anomaly on the entity it concerns. COMMISSION, SHIP and RECEIVE write custody for the
 * named items and so for everything inside them (a container commissioned, by eventTime, after packs
 * went into it holds them where it is commissioned); AGGREGATE and DISAGGREGATE change containment only.
 * A pack shipped without its container, or dispensed, has left the container (implicit disaggregation);
 * a pack received or decommissioned on its own has not.
 *
 * DISPENSED and DECOMMISSIONED are terminal: later events still move custodian and location (where the
 * evidence says the item went) but never revive the status. Decommissioning a container decommissions
 * what is inside it at that moment, for good: those packs stay DECOMMISSIONED (same reason, tagged with
 * the container) when they are later taken out, and any later event about them raises INACTIVE_ITEM.
 * What is put into a decommissioned container afterwards is not decommissioned by it; the aggregation
 * raises INACTIVE_ITEM on the container, as does taking the contents out of it.
 *
 * Evidence is not custody: a step is a legitimate custody step for an item only when it raised no
 * anomaly on it and the custody it acted on was legitimate. Legitimate steps are recorded as grants
 * (COMMISSION and a built container: the signer; SHIP: the party shipped to; RECEIVE: the receiver)
 * and only grants open an item's history to a partner. A record written by any other step is marked
 * `legit: false`, so that nothing done after a forged RECEIVE (shipping on, to oneself) grants either.
 */
export function evolve(world: CustodyWorld, entry: CustodyEntry): CustodyWorld {
  if (world.last !== undefined && compareEntries(world.last, entry) >= 0) {
    throw new RangeError(
      `custody entries must be folded in (eventTime, seq) order: seq ${entry.seq} (eventTime ` +
        `${entry.event.eventTime}) is not after seq ${world.last.seq} (eventTime ${world.last.event.eventTime})`,
    );
  }
  world.last = entry;
  const event = entry.event;
  if (event.type === 'REGISTRY') return world;
  const step = new Step(world, entry, world.applied.length);
  world.applied.push(entry);
  switch (event.type) {
    case 'COMMISSION':
      step.commission(event);
      break;
    case 'AGGREGATE':
      step.aggregate(event);
      break;
    case 'DISAGGREGATE':
      step.disaggregate(event);
      break;
    case 'SHIP':
      step.ship(event);
      break;
    case 'RECEIVE':
      step.receive(event);
      break;
    case 'DISPENSE':
      step.dispense(event);
      break;
    case 'DECOMMISSION':
      step.decommission(event);
      break;
    case 'RECALL':
      step.recall(event);
      break;
    case 'UNDO_DISPENSE':
      step.undoDispense(event);
      break;
  }
  return world;
}

/** What an event does to an item it acts on, for the checks every such event shares. */
type Act = 'AGGREGATE' | 'DISAGGREGATE' | 'SHIP' | 'DISPENSE' | 'DECOMMISSION';

// One event being applied. Checks read the state before the event (so naming a container and its
// contents in one event is judged as a whole); effects are then written.
class Step {
  readonly party: string;
  readonly ref: EventRef;

  constructor(
    readonly world: CustodyWorld,
    readonly entry: CustodyEntry,
    readonly pos: FoldPosition,
  ) {
    const e = entry.event;
    this.party = e.party;
    this.ref = { seq: entry.seq, party: e.party, site: e.site, eventTime: e.eventTime };
  }

  /** Entities this step raised an anomaly on. */
  readonly flagged = new Set<EntityRecord>();

  commission(event: CustodyEventOf<'COMMISSION'>): void {
    for (const uri of unique(event.items)) {
      const item = this.touch(uri);
      if (item.exists) {
        const first = item.commissionedAt;
        this.flag(
          item,
          'DUPLICATE_COMMISSION',
          `${uri} was already commissioned${first ? ` at seq ${first.seq} by ${first.party}` : ''}; the first commission stands`,
        );
        continue;
      }
      item.exists = true;
      item.commissionedAt = this.ref;
      if (item.kind === 'pack') {
        item.lot = event.lot;
        item.expiry = event.expiry;
      }
      item.custody = this.record('ACTIVE', true);
      this.grant(item, this.party);
    }
  }

  aggregate(event: CustodyEventOf<'AGGREGATE'>): void {
    const parent = this.builtOrNamed(event.parent);
    const children = unique(event.children)
      .filter((uri) => uri !== event.parent)
      .map((uri) => this.named(uri));
    if (event.children.includes(event.parent)) {
      this.flag(parent, 'INVALID_CONTAINMENT', `${parent.uri} cannot contain itself`);
    }
    if (parent.kind !== 'container') {
      this.flag(parent, 'INVALID_CONTAINMENT', `${parent.uri} is a pack: it cannot contain items`);
      return;
    }
    const before = new Map([parent, ...children].map((e) => [e, this.effective(e)] as const));
    for (const [e, now] of before) this.checkAct(e, now, 'AGGREGATE');
    const was = (e: EntityRecord) => before.get(e)!;
    for (const child of children) {
      if (child.parent === parent.uri) continue;
      if (this.isWithin(parent, child)) {
        this.flag(
          child,
          'INVALID_CONTAINMENT',
          `${child.uri} cannot go into ${parent.uri}, which is inside it; left where it was`,
        );
        continue;
      }
      if (child.parent !== undefined) {
        this.flag(
          child,
          'CONTAINER_CONFLICT',
          `${child.uri} was still inside ${child.parent}; it moved into ${parent.uri}`,
        );
        this.detach(child);
      }
      const legit = this.legitimate(child, was(child)) && this.legitimate(parent, was(parent));
      child.parent = parent.uri;
      child.memberships.push({ parent: parent.uri, from: this.pos, legit });
      getOrAdd(this.world.children, parent.uri, () => new Set<string>()).add(child.uri);
    }
  }

  disaggregate(event: CustodyEventOf<'DISAGGREGATE'>): void {
    const parent = this.named(event.parent);
    this.checkAct(parent, this.effective(parent), 'DISAGGREGATE');
    if (event.children.length === 0) {
      // Children named by none of this event's items: they see it through their stay in the parent.
      for (const uri of [...(this.world.children.get(parent.uri) ?? [])]) {
        const child = this.world.entities.get(uri);
        if (child !== undefined) this.detach(child);
      }
      return;
    }
    for (const child of unique(event.children).map((uri) => this.named(uri))) {
      if (child.parent === parent.uri) this.detach(child);
      else {
        const where = child.parent === undefined ? 'in no container' : `inside ${child.parent}`;
        this.flag(child, 'NOT_IN_CONTAINER', `${child.uri} is not inside ${parent.uri} (it is ${where})`);
      }
    }
  }

  ship(event: CustodyEventOf<'SHIP'>): void {
    const uris = unique(event.items);
    const before = uris.map((uri) => this.named(uri)).map((item) => [item, this.effective(item)] as const);
    for (const [item, now] of before) this.checkAct(item, now, 'SHIP');
    const shipped = new Set(uris);
    for (const [item, now] of before) {
      const legit = this.legitimate(item, now);
      if (item.parent !== undefined && !this.hasAncestorIn(item, shipped)) this.detach(item);
      item.custody = this.record('IN_TRANSIT', legit, {
        from: this.party,
        to: event.to,
        seq: this.entry.seq,
      });
      // The party shipped to holds it from here, legitimately, though it has not received it yet.
      if (legit) this.grant(item, event.to);
    }
  }

  receive(event: CustodyEventOf<'RECEIVE'>): void {
    const before = unique(event.items)
      .map((uri) => this.named(uri))
      .map((item) => [item, this.effective(item)] as const);
    for (const [item, { custody, terminal }] of before) {
      if (terminal !== undefined) this.flagInactive(item, terminal.status);
      const open = custody?.inTransit;
      if (open === undefined) {
        this.flag(item, 'RECEIVE_WITHOUT_SHIPMENT', `${item.uri} was received with no open shipment`);
      } else if (open.to !== this.party) {
        this.flag(
          item,
          'RECEIVE_WITHOUT_SHIPMENT',
          `${item.uri} was received by ${this.party} but shipped to ${open.to} (seq ${open.seq})`,
        );
      }
      if (open !== undefined && open.from !== event.from) {
        this.flag(
          item,
          'SHIPPER_MISMATCH',
          `${item.uri} was received from ${event.from} but shipped by ${open.from} (seq ${open.seq})`,
        );
      }
    }
    for (const [item, now] of before) {
      const legit = this.legitimate(item, now);
      item.custody = this.record('ACTIVE', legit);
      if (legit) this.grant(item, this.party);
    }
  }

  dispense(event: CustodyEventOf<'DISPENSE'>): void {
    const packs: EntityRecord[] = [];
    for (const item of unique(event.items).map((uri) => this.named(uri))) {
      if (item.kind === 'pack') packs.push(item);
      else this.flag(item, 'NOT_A_PACK', `${item.uri} is a container: only packs are dispensed; not applied`);
    }
    for (const pack of packs) {
      this.checkAct(pack, this.effective(pack), 'DISPENSE');
      const recall = this.recallOf(pack);
      if (recall !== undefined) {
        this.flag(
          pack,
          'DISPENSED_WHILE_RECALLED',
          `${pack.uri} was dispensed after lot ${pack.lot} was recalled (seq ${recall.seq}: ${recall.reason})`,
        );
      }
    }
    for (const pack of packs) {
      if (pack.parent !== undefined) this.detach(pack);
      if (pack.terminals.length === 0)
        pack.terminals.push({ stamp: this.pos, status: 'DISPENSED', at: this.ref });
    }
  }

  decommission(event: CustodyEventOf<'DECOMMISSION'>): void {
    const active: EntityRecord[] = [];
    for (const item of unique(event.items).map((uri) => this.named(uri))) {
      const now = this.effective(item);
      this.checkAct(item, now, 'DECOMMISSION');
      if (now.terminal === undefined) active.push(item);
    }
    for (const item of active) {
      item.terminals.push({ stamp: this.pos, status: 'DECOMMISSIONED', at: this.ref, reason: event.reason });
    }
  }

  recall(event: CustodyEventOf<'RECALL'>): void {
    getOrAdd(this.world.recalls, recallKey(event.gtin, event.lot), () => []).push({
      pos: this.pos,
      mark: { seq: this.entry.seq, reason: event.reason, eventTime: event.eventTime },
    });
  }

  /**
   * The undo rule (undo-rule.ts) judged for each pack on the fold as it stands: where it applies, the
   * dispense's terminal record is removed, so the pack is ACTIVE again where it was. Either way the
   * undo stays in the pack's history, with what it did; a refused one raises no anomaly, as a late
   * upload of an earlier recall or decommission can refuse an undo that was in the rule when made.
   */
  undoDispense(event: CustodyEventOf<'UNDO_DISPENSE'>): void {
    for (const pack of unique(event.items).map((uri) => this.touch(uri))) {
      const facts = this.undoFacts(pack, event.dispense);
      const refusal = undoRefusal(facts);
      const record: UndoRecord = {
        pos: this.pos,
        seq: this.entry.seq,
        eventId: event.eventId,
        dispense: event.dispense,
      };
      if (facts.dispense !== undefined) record.dispenseSeq = facts.dispense.seq;
      if (refusal !== undefined) record.refusal = refusal;
      else
        pack.terminals = pack.terminals.filter(
          (t) => t.status !== 'DISPENSED' || t.at.seq !== record.dispenseSeq,
        );
      (pack.undos ??= []).push(record);
    }
  }

  /** What the undo rule needs about `pack`, read before the undo; `dispenseId` is the eventId it names. */
  undoFacts(pack: EntityRecord, dispenseId: string): UndoFacts {
    let dispense: (NamedDispense & { pos: FoldPosition }) | undefined;
    let otherPartyDispense = false;
    for (const pos of pack.history) {
      const e = this.world.applied[pos]?.event;
      if (pos === this.pos || e?.type !== 'DISPENSE' || e.eventId !== dispenseId) continue;
      if (e.party !== this.party) otherPartyDispense = true;
      else
        dispense = {
          pos,
          seq: this.world.applied[pos]!.seq,
          eventId: e.eventId,
          party: e.party,
          site: e.site,
          eventTime: e.eventTime,
        };
    }
    const { custody, terminal } = this.effective(pack);
    const since = (pos: FoldPosition) => dispense !== undefined && pos > dispense.pos && pos < this.pos;
    const facts: UndoFacts = {
      item: pack.uri,
      party: this.party,
      site: this.ref.site,
      at: this.entry.appendedAt,
      otherPartyDispense,
      alreadyUndone: (pack.undos ?? []).some(
        (u) => u.refusal === undefined && u.dispenseSeq === dispense?.seq,
      ),
      decommissionedSince: pack.history.some(
        (pos) => since(pos) && this.world.applied[pos]?.event.type === 'DECOMMISSION',
      ),
      inTransit: custody?.transit === 'IN_TRANSIT',
    };
    if (dispense !== undefined) facts.dispense = dispense;
    if (terminal !== undefined)
      facts.standing =
        terminal.status === 'DISPENSED'
          ? { status: 'DISPENSED', seq: terminal.at.seq }
          : { status: 'DECOMMISSIONED' };
    const recall = this.recallOf(pack);
    if (recall !== undefined) facts.recalled = recall;
    if (pack.expiry !== undefined) facts.expiry = pack.expiry;
    if (custody !== undefined) facts.custodian = custody.custodian;
    return facts;
  }

  /** The rules shared by every event that acts on an item someone holds. */
  checkAct(item: EntityRecord, now: EffectiveCustody, act: Act): void {
    const { custody, terminal } = now;
    if (terminal !== undefined) {
      if (act === 'DISPENSE' && terminal.status === 'DISPENSED') {
        this.flag(
          item,
          'ALREADY_DISPENSED',
          `${item.uri} was already dispensed at seq ${terminal.at.seq} by ${terminal.at.party}`,
        );
      } else this.flagInactive(item, terminal.status);
    }
    const transit = custody?.inTransit;
    if (transit !== undefined) {
      if (act === 'SHIP') {
        this.flag(
          item,
          'ALREADY_IN_TRANSIT',
          `${item.uri} is still in transit from ${transit.from} to ${transit.to} (seq ${transit.seq})`,
        );
      } else if (act !== 'DECOMMISSION' || this.party === transit.to) {
        // The shipper may decommission goods lost on the way (stolen); nobody else acts on them unreceived.
        this.flag(
          item,
          'NOT_RECEIVED',
          `${item.uri} is in transit from ${transit.from} to ${transit.to} (seq ${transit.seq}) and was not received`,
        );
      }
    }
    // An unknown custodian (a stub) cannot be checked; the recipient of an open shipment is reported
    // by NOT_RECEIVED or ALREADY_IN_TRANSIT instead.
    if (custody !== undefined && this.party !== custody.custodian && this.party !== transit?.to) {
      this.flag(
        item,
        'NOT_CUSTODIAN',
        `${this.party} is not the custodian of ${item.uri} (${custody.custodian} is)`,
      );
    }
  }

  flagInactive(item: EntityRecord, status: 'DISPENSED' | 'DECOMMISSIONED'): void {
    this.flag(item, 'INACTIVE_ITEM', `${item.uri} is ${status}`);
  }

  flag(item: EntityRecord, code: AnomalyCode, message: string): void {
    this.flagged.add(item);
    const { seq, event } = this.entry;
    item.anomalies.push({ code, seq, eventId: event.eventId, message, pos: this.pos });
  }

  /** The entity for `uri`, created as a stub on first sight, with this event in its history. */
  touch(uri: string): EntityRecord {
    let item = this.world.entities.get(uri);
    if (item === undefined) {
      item = {
        uri,
        ...parseItemUri(uri),
        exists: false,
        terminals: [],
        memberships: [],
        history: [],
        grants: [],
        anomalies: [],
      };
      this.world.entities.set(uri, item);
    }
    if (item.history.at(-1) !== this.pos) item.history.push(this.pos);
    return item;
  }

  /**
   * The parent of an aggregation. Distributors and pharmacies build pallets and totes under their own
   * SSCCs without commissioning them (as in GS1 EPCIS practice): a container first seen as the parent
   * of an aggregation comes into being there, in the custody of whoever aggregated.
   */
  builtOrNamed(uri: string): EntityRecord {
    const item = this.touch(uri);
    if (!item.exists && item.kind === 'container' && item.history.length === 1) {
      item.exists = true;
      item.commissionedAt = this.ref;
      item.custody = this.record('ACTIVE', true);
      this.grant(item, this.party);
      return item;
    }
    return this.named(uri);
  }

  /** touch() for an item the event acts on, which must have been commissioned. */
  named(uri: string): EntityRecord {
    const item = this.touch(uri);
    if (!item.exists) {
      this.flag(item, 'NOT_COMMISSIONED', `${uri} has not been commissioned`);
    }
    return item;
  }

  effective(item: EntityRecord): EffectiveCustody {
    return effectiveCustody(this.world, item);
  }

  /**
   * Whether this step is a legitimate custody step for `item`, judged once every check of the step
   * ran: it raised no anomaly on the item, and the custody it acted on (`now`, as it was before the
   * step) was legitimate.
   */
  legitimate(item: EntityRecord, now: EffectiveCustody): boolean {
    return !this.flagged.has(item) && now.custody?.legit === true;
  }

  grant(item: EntityRecord, party: string): void {
    item.grants.push({ pos: this.pos, party });
  }

  record(
    transit: CustodyRecord['transit'],
    legit: boolean,
    inTransit?: CustodyRecord['inTransit'],
  ): CustodyRecord {
    const r: CustodyRecord = {
      stamp: this.pos,
      transit,
      custodian: this.party,
      location: this.ref.site,
      legit,
    };
    if (inTransit !== undefined) r.inTransit = inTransit;
    return r;
  }

  /** Takes `item` out of its container, keeping the state it had in there. */
  detach(item: EntityRecord): void {
    if (item.parent === undefined) return;
    const { custody, inherited } = this.effective(item);
    item.custody = custody;
    // All of them, not only the first: a later one still reaches what went into the item after the first.
    if (inherited.length > 0)
      item.terminals = [...item.terminals, ...inherited].sort((a, b) => a.stamp - b.stamp);
    this.world.children.get(item.parent)?.delete(item.uri);
    const stay = item.memberships.at(-1);
    if (stay !== undefined) stay.to = this.pos;
    item.parent = undefined;
  }

  /** Whether `item` is `container` or inside it, at any depth. */
  isWithin(item: EntityRecord, container: EntityRecord): boolean {
    for (let at: EntityRecord | undefined = item; at !== undefined;) {
      if (at === container) return true;
      at = at.parent === undefined ? undefined : this.world.entities.get(at.parent);
    }
    return false;
  }

  hasAncestorIn(item: EntityRecord, uris: ReadonlySet<string>): boolean {
    for (let uri = item.parent; uri !== undefined; uri = this.world.entities.get(uri)?.parent) {
      if (uris.has(uri)) return true;
    }
    return false;
  }

  recallOf(pack: EntityRecord): { seq: number; reason: string } | undefined {
    if (pack.gtin === undefined || pack.lot === undefined) return undefined;
    return this.world.recalls.get(recallKey(pack.gtin, pack.lot))?.[0]?.mark;
  }
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function unique(uris: readonly string[]): string[] {
  return [...new Set(uris)];
}
