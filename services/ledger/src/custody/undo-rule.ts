import type { RejectionCode } from '@rxledger/events';
import type { EntityState } from './entity-state.ts';
import { parseExpiry } from '@rxledger/gs1';

// The undo of a dispense (EU Delegated Regulation 2016/161, Art. 13), in one place. The fold applies
// it in eventTime order (evolve), the admission of an UNDO_DISPENSE folds the pack's history with the
// undo and refuses it with the code this rule gives, and verify uses it to say whether and until when
// the dispensing pharmacy may still undo. Clocks: the deadline runs from the dispense's eventTime (the
// earliest the pharmacy itself claims) and is judged by the undo's broker time, which the pharmacy
// cannot choose; expiry is judged by the calendar day (UTC) of that broker time, as verify does.

/** How long after the dispense (its eventTime) the undo may reach the broker: 10 days. */
export const UNDO_WINDOW_MS = 10 * 86_400_000;

/** Why an undo has no effect: a rejection code of @rxledger/events. */
export type UndoRefusalCode = Extract<RejectionCode, `UNDO_${string}`>;

/** An undo that does not apply: its code and a message naming the pack. */
export interface UndoRefusal {
  code: UndoRefusalCode;
  message: string;
}

/** The dispense an undo names, as the fold found it. */
export interface NamedDispense {
  seq: number;
  eventId: string;
  party: string;
  site: string;
  eventTime: number;
}

/** What the rule looks at for one pack, read from the fold just before the undo. */
export interface UndoFacts {
  item: string;
  /** The undoing party and, when known, its site (verify's hint does not know the counter's site). */
  party: string;
  site?: string;
  /** The undo's broker time (appendedAt), or now for a hint; undefined: not known, so too late. */
  at: number | undefined;
  /** The named DISPENSE of `party` naming the pack, earlier by eventTime; undefined when none. */
  dispense?: NamedDispense;
  /** Another party's DISPENSE with the named eventId names the pack. */
  otherPartyDispense: boolean;
  /** That dispense was already undone. */
  alreadyUndone: boolean;
  /** The pack's terminal status now: the dispense that stands (its seq) or a decommission. */
  standing?: { status: 'DISPENSED'; seq: number } | { status: 'DECOMMISSIONED' };
  /** A DECOMMISSION named the pack after the dispense (it raised INACTIVE_ITEM and changed nothing). */
  decommissionedSince: boolean;
  /** The first recall of the pack's lot folded before the undo. */
  recalled?: { seq: number; reason: string };
  /** YYMMDD as commissioned. */
  expiry?: string;
  /** Who holds the pack now and whether it is in transit. */
  custodian?: string;
  inTransit: boolean;
}

/** The last instant (epoch ms, broker time) an undo of a dispense made at `dispenseTime` may reach the broker. */
export function undoDeadline(dispenseTime: number): number {
  return dispenseTime + UNDO_WINDOW_MS;
}

/**
 * Whether the undo of one pack applies: undefined when it does, else the first reason it does not.
 * Pure and total: the same facts give the same answer on every node.
 * @example undoRefusal({ ...facts, at: undoDeadline(dispense.eventTime) + 1 })?.code // 'UNDO_TOO_LATE'
 */
export function undoRefusal(f: UndoFacts): UndoRefusal | undefined {
  const d = f.dispense;
  if (d === undefined) {
    return f.otherPartyDispense
      ? refuse('UNDO_OTHER_PARTY', `the dispense of ${f.item} it names was signed by another party`)
      : refuse(
          'UNDO_NO_SUCH_DISPENSE',
          `no DISPENSE of ${f.party} with that eventId names ${f.item} before the undo`,
        );
  }
  if (f.site !== undefined && f.site !== d.site)
    return refuse('UNDO_OTHER_SITE', `${f.item} was dispensed at site ${d.site}, not at ${f.site}`);
  if (f.at === undefined || f.at > undoDeadline(d.eventTime)) {
    const until = new Date(undoDeadline(d.eventTime)).toISOString();
    return refuse('UNDO_TOO_LATE', `the dispense of ${f.item} could be undone until ${until}`);
  }
  if (f.alreadyUndone)
    return refuse('UNDO_ALREADY_UNDONE', `dispense ${d.eventId} of ${f.item} was already undone`);
  if (f.standing?.status === 'DECOMMISSIONED' || f.decommissionedSince)
    return refuse('UNDO_DECOMMISSIONED', `${f.item} was decommissioned`);
  if (f.standing?.status !== 'DISPENSED' || f.standing.seq !== d.seq)
    return refuse('UNDO_NOT_STANDING', `dispense ${d.eventId} of ${f.item} is not the dispense that stands`);
  if (f.recalled !== undefined)
    return refuse(
      'UNDO_RECALLED',
      `the lot of ${f.item} was recalled (seq ${f.recalled.seq}: ${f.recalled.reason})`,
    );
  const expired = expiredBefore(f.expiry, f.at);
  if (expired !== undefined) return refuse('UNDO_EXPIRED', `${f.item} expired on ${expired}`);
  if (f.custodian !== f.party || f.inTransit)
    return refuse('UNDO_NOT_IN_CUSTODY', `${f.item} is no longer held by ${f.party}`);
  return undefined;
}

/** The expiry date (YYYY-MM-DD) when it is before the UTC day of `at`; undefined otherwise. */
function expiredBefore(expiry: string | undefined, at: number): string | undefined {
  if (expiry === undefined) return undefined;
  const day = new Date(at).toISOString().slice(0, 10);
  try {
    const { date } = parseExpiry(expiry, new Date(`${day}T00:00:00Z`));
    return date < day ? date : undefined;
  } catch {
    return undefined; // a commission's expiry was validated at admission; nothing to judge otherwise
  }
}

function refuse(code: UndoRefusalCode, message: string): UndoRefusal {
  return { code, message };
}

/**
 * The undo `party` could still make, at `now`, of the dispense that stands on a pack: that dispense's
 * eventId and the deadline, or undefined. The hint verify gives at the dispensing pharmacy's counter;
 * it cannot know the counter's site or a decommission made after the dispense, which the rule then
 * refuses with their reasons.
 * @example undoableDispense(state, pharmacyGln, Date.now())?.until // dispense eventTime + 10 days
 */
export function undoableDispense(
  state: EntityState,
  party: string,
  now: number,
): { dispense: string; until: number } | undefined {
  const d = state.dispensedAt;
  if (state.status !== 'DISPENSED' || d === undefined || d.party !== party) return undefined;
  const facts: UndoFacts = {
    item: state.uri,
    party,
    at: now,
    dispense: { seq: d.seq, eventId: d.eventId, party: d.party, site: d.site, eventTime: d.eventTime },
    otherPartyDispense: false,
    alreadyUndone: false,
    standing: { status: 'DISPENSED', seq: d.seq },
    decommissionedSince: false,
    inTransit: state.inTransit !== undefined,
  };
  if (state.recalled !== undefined) facts.recalled = state.recalled;
  if (state.expiry !== undefined) facts.expiry = state.expiry;
  if (state.custodian !== undefined) facts.custodian = state.custodian;
  if (undoRefusal(facts) !== undefined) return undefined;
  return { dispense: d.eventId, until: undoDeadline(d.eventTime) };
}
