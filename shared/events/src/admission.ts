// The one admission rule (DESIGN §3, "Rejected, never appended"): what a record on the custody topic
// must be for a ledger to append it. The ledger's fold, the offline verifier and the partner services'
// pre-check all call this module, so the three cannot disagree about who may sign what.
import { readCanonicalItem } from '@rxledger/gs1';
import { decodeCustodyEvent } from './custody-event-codec.ts';
import type { CustodyEvent } from './custody-event.ts';
import type { Ed25519 } from './ed25519.ts';
import { verifyEventSignature } from './event-signature.ts';
import type { VerifyingKey } from './keys.ts';
import { maySign } from './may-sign.ts';
import { ownsGtin } from './owns-gtin.ts';
import type { FieldIssue } from '@rxledger/runtime/errors';
import type { RegistryState } from './registry-state.ts';
import { decodeSignedEvent, type SignedEvent } from './signed-event.ts';
import { checkCustodyEvent, MAX_FUTURE_MS } from './validate-custody-event.ts';

/** No custody event happened before this instant (2000-01-01T00:00:00Z): older times are typos or attacks. */
export const EVENT_TIME_FLOOR = Date.UTC(2000, 0, 1);
/** Default of how long after it happened an event may still reach the broker (uploads can be days late). */
export const DEFAULT_LATENESS_MS = 7 * 86_400_000;
/** Largest record value a ledger reads: a 10,000-item event is about 700 KB; Kafka's default limit is 1 MiB. */
export const MAX_RECORD_BYTES = 1_048_576;

/** Why a record is not appended, each with its meaning; stored with every rejection and queryable. */
export const REJECTION_CODES = {
  UNDECODABLE: 'the record is not a known Avro single-object SignedEvent wrapping a CustodyEvent',
  TOO_LARGE: `the record value is larger than ${MAX_RECORD_BYTES} bytes`,
  NO_GENESIS: 'the registry has no genesis record yet; only the authority-signed genesis can be first',
  UNKNOWN_KEY: 'the signing key is not in the registry',
  KEY_PARTY_MISMATCH: 'the key belongs to another party than the event names',
  BAD_SIGNATURE: 'the Ed25519 signature does not verify (strict RFC 8032)',
  KEY_NOT_YET_VALID: 'the event time is before the key was valid from',
  KEY_REVOKED: 'the key was revoked before the record reached the broker',
  ROLE_NOT_ENTITLED: 'the signing party has no role that may sign this event type',
  EVENT_TIME_BEFORE_FLOOR: 'eventTime is before 2000-01-01',
  FUTURE_EVENT_TIME: 'eventTime is more than 5 minutes after the broker received the record',
  EVENT_TIME_TOO_OLD: 'eventTime is further behind the broker time than the lateness window (default 7 days)',
  INVALID_EVENT: 'a field fails its rule (an identifier check digit, a character set, a length...)',
  NOT_GTIN_OWNER: 'COMMISSION or RECALL of a GTIN or SSCC outside the signer company prefixes',
  EVENT_ID_CONFLICT: "the signer's eventId was already used for an event with different content",
  REGISTRY_REJECTED: 'the REGISTRY event does not apply to the current registry',
  UNPROCESSABLE: 'checking the record failed unexpectedly; it is refused rather than stopping the fold',
  ALERT_UNKNOWN: 'UPDATE_ALERT names an alert this ledger never raised',
  ALERT_CLOSED: 'UPDATE_ALERT names an alert that is already closed',
  ALERT_ITEM_MISMATCH: "UPDATE_ALERT names another pack than the alert's",
  ALERT_STEP_NOT_ALLOWED:
    'the signer may not take this step of this alert (not its manufacturer, pharmacy or a regulator)',
  // The undo of a dispense (EU 2016/161 Art. 13), judged against the pack's history by the ledger's
  // custody rule (services/ledger/src/custody/undo-rule.ts).
  UNDO_NO_SUCH_DISPENSE:
    'no DISPENSE of the signer with that eventId names the pack before the undo (by eventTime)',
  UNDO_OTHER_PARTY:
    'the named dispense was signed by another party: only the dispensing pharmacy may undo it',
  UNDO_OTHER_SITE: 'the undo was made at another site than the dispense (Art. 13: the same premises)',
  UNDO_TOO_LATE: "the undo reached the broker more than 10 days after the dispense's eventTime",
  UNDO_EXPIRED: "the pack's expiry date was before the day (UTC) the undo reached the broker",
  UNDO_RECALLED: "the pack's lot was recalled before the undo",
  UNDO_DECOMMISSIONED: 'the pack was decommissioned (before or after the dispense)',
  UNDO_ALREADY_UNDONE: 'that dispense of the pack was already undone',
  UNDO_NOT_STANDING: 'that dispense is not the one that stands on the pack: an earlier one does',
  UNDO_NOT_IN_CUSTODY: 'the pack is no longer held by the undoing pharmacy',
} as const;

export type RejectionCode = keyof typeof REJECTION_CODES;

/** Who a record is from, known only once its signature verified: before that, anyone could have written it. */
export interface Attribution {
  party: string;
  eventId: string;
  keyId: string;
  eventType: string;
}

export type Admission =
  | { ok: true; signed: SignedEvent; event: CustodyEvent }
  | { ok: false; code: RejectionCode; message: string; attribution?: Attribution };

export interface AdmissionContext {
  /** The registry as it stands just before this record (every earlier registry leaf applied). */
  registry: RegistryState;
  ed: Ed25519;
  /**
   * The broker's append time of the record, epoch ms: the clock every node shares. The fold always
   * has it; an offline verifier of a leaf that does not carry it passes undefined, and the time window
   * is then checked only against the fixed floor.
   */
  appendedAt?: number | undefined;
  /** How far eventTime may trail appendedAt; default DEFAULT_LATENESS_MS. */
  latenessMs?: number | undefined;
  /** The record's SignedEvent, when the caller decoded it already. */
  signed?: SignedEvent | undefined;
  /** readEventContent(signed), when the caller worked it out already (only together with `signed`). */
  content?: EventContent | undefined;
}

/**
 * A record's custody event, decoded, with what the event rules say of it (judged at the event's own
 * time): the part of the admission rule that depends on nothing but the record, so a caller may work
 * it out ahead and hand it in (the fold does, in slices, beside the signature checks).
 */
export type EventContent =
  { ok: true; event: CustodyEvent; issues: readonly FieldIssue[] } | { ok: false; message: string };

export function readEventContent(signed: SignedEvent): EventContent {
  let event: CustodyEvent;
  try {
    event = decodeCustodyEvent(signed.event);
  } catch (err) {
    return { ok: false, message: bounded(`custody event: ${codecMessage(err)}`) };
  }
  // The event's own time, not the broker's: the verifier of a leaf must judge exactly as the fold did.
  return { ok: true, event, issues: checkCustodyEvent(event, { now: event.eventTime }) };
}

/**
 * Whether a record may be appended, or the reason it may not, judged in a fixed order: decoding, the
 * signature under the key the registry names (from here on the rejection is attributed to the signer),
 * the time window, key validity, role, event rules, identifier ownership. Pure: the same record and
 * registry give the same answer on every node, and it never throws.
 * @example admitRecord(value, { registry, ed: nodeEd25519, appendedAt: record.timestamp })
 */
export function admitRecord(value: Uint8Array | null, ctx: AdmissionContext): Admission {
  try {
    return admit(value, ctx);
  } catch (err) {
    return reject('UNPROCESSABLE', bounded(`check failed: ${(err as Error)?.message ?? String(err)}`));
  }
}

function admit(value: Uint8Array | null, ctx: AdmissionContext): Admission {
  if (value === null || value.length === 0) return reject('UNDECODABLE', 'empty record value');
  if (value.length > MAX_RECORD_BYTES) {
    return reject('TOO_LARGE', `record value is ${value.length} bytes; at most ${MAX_RECORD_BYTES}`);
  }
  let signed: SignedEvent;
  try {
    signed = ctx.signed ?? decodeSignedEvent(value);
  } catch (err) {
    return reject('UNDECODABLE', bounded(`signed event: ${codecMessage(err)}`));
  }
  const content = (ctx.signed && ctx.content) || readEventContent(signed);
  if (!content.ok) return reject('UNDECODABLE', content.message);
  const { event } = content;
  const signer = signerKey(ctx.registry, signed, event);
  if (!signer.ok) return signer;
  const signature = verifyEventSignature(ctx.ed, signed, signer.key);
  if (!signature.ok) return reject('BAD_SIGNATURE', `${signature.code}: ${signature.message}`);

  // A signed but invalid eventId may be any length: stored rows stay bounded (ids are 1..128 chars).
  const by: Attribution = {
    party: event.party,
    eventId: event.eventId.slice(0, 128),
    keyId: signed.keyId,
    eventType: event.type,
  };
  const problem = judgeSigned(content, signed.keyId, ctx);
  return problem ? { ...problem, attribution: by } : { ok: true, signed, event };
}

// The key the record must verify under: the trust anchor for the genesis, else the registered key of
// the party the event names. Revocation and roles are judged after the signature, by judgeSigned.
function signerKey(
  registry: RegistryState,
  signed: SignedEvent,
  event: CustodyEvent,
): { ok: true; key: VerifyingKey } | Extract<Admission, { ok: false }> {
  if (!registry.started) {
    if (event.type !== 'REGISTRY' || signed.keyId !== registry.anchor.keyId) {
      const what = event.type === 'REGISTRY' ? 'REGISTRY event' : `${event.type} event`;
      return reject(
        'NO_GENESIS',
        `the first record must be the genesis REGISTRY event signed by the authority key ${registry.anchor.keyId} (the trust anchor), not a ${what} signed by key ${bounded(signed.keyId, 64)}`,
      );
    }
    return { ok: true, key: registry.anchor };
  }
  const key = registry.keys.get(signed.keyId);
  if (key === undefined) return reject('UNKNOWN_KEY', `key ${bounded(signed.keyId, 64)} is not registered`);
  if (key.gln !== event.party) {
    return reject(
      'KEY_PARTY_MISMATCH',
      `key ${signed.keyId} belongs to ${key.gln}, not ${bounded(event.party, 64)}`,
    );
  }
  return { ok: true, key: key.publicKey };
}

// Everything judged of a record whose signature verified.
function judgeSigned(
  { event, issues }: Extract<EventContent, { ok: true }>,
  keyId: string,
  ctx: AdmissionContext,
): Extract<Admission, { ok: false }> | undefined {
  const timing = checkEventTime(event.eventTime, ctx.appendedAt, ctx.latenessMs);
  if (timing) return timing;
  if (ctx.registry.started) {
    const may = maySign(ctx.registry, { keyId, type: event.type, time: event.eventTime, party: event.party });
    if (!may.ok) return reject(may.code, may.message);
  }
  if (issues.length > 0) {
    return reject('INVALID_EVENT', bounded(issues.map((i) => `${i.field}: ${i.reason}`).join('; ')));
  }
  if (!ctx.registry.started) return undefined;
  const foreign = foreignIdentifiers(ctx.registry, event);
  if (foreign.length === 0) return undefined;
  const more = foreign.length > 3 ? ` and ${foreign.length - 3} more` : '';
  return reject(
    'NOT_GTIN_OWNER',
    `${event.party} owns no company prefix of ${foreign.slice(0, 3).join(', ')}${more}`,
  );
}

/**
 * Whether an eventTime fits the window around the broker's append time: not before EVENT_TIME_FLOOR,
 * at most MAX_FUTURE_MS after appendedAt, at most `latenessMs` before it. Undefined when it fits.
 * Partner services ask it with their own clock, as a pre-check, before publishing.
 */
export function checkEventTime(
  eventTime: number,
  appendedAt: number | undefined,
  latenessMs: number = DEFAULT_LATENESS_MS,
): { ok: false; code: RejectionCode; message: string } | undefined {
  if (!Number.isSafeInteger(eventTime))
    return reject('INVALID_EVENT', 'eventTime: must be an integer number of epoch ms');
  if (eventTime < EVENT_TIME_FLOOR) {
    return reject(
      'EVENT_TIME_BEFORE_FLOOR',
      `eventTime ${isoOrNumber(eventTime)} is before 2000-01-01T00:00:00Z`,
    );
  }
  if (appendedAt === undefined) return undefined;
  const at = isoOrNumber(appendedAt);
  if (eventTime > appendedAt + MAX_FUTURE_MS) {
    return reject(
      'FUTURE_EVENT_TIME',
      `eventTime ${isoOrNumber(eventTime)} is more than ${MAX_FUTURE_MS / 60_000} minutes after the record reached the broker (${at})`,
    );
  }
  if (eventTime < appendedAt - latenessMs) {
    return reject(
      'EVENT_TIME_TOO_OLD',
      `eventTime ${isoOrNumber(eventTime)} is more than ${latenessMs / 86_400_000} days before the record reached the broker (${at})`,
    );
  }
  return undefined;
}

// COMMISSION and RECALL may only be signed by the manufacturer that owns the identifiers. Items are
// in canonical form here (checkCustodyEvent ran first), so the canonical reader cannot fail on them.
function foreignIdentifiers(registry: RegistryState, event: CustodyEvent): string[] {
  if (event.type === 'RECALL') return ownsGtin(registry, event.party, event.gtin) ? [] : [event.gtin];
  if (event.type !== 'COMMISSION') return [];
  const prefixes = registry.parties.get(event.party)?.companyPrefixes ?? [];
  return event.items.filter((uri) => {
    const item = readCanonicalItem(uri);
    if (item.kind === 'sgtin') return !ownsGtin(registry, event.party, item.gtin);
    // An SSCC is an extension digit, then the company prefix and a serial reference.
    return !prefixes.some((p) => item.sscc.slice(1).startsWith(p));
  });
}

function reject(code: RejectionCode, message: string): { ok: false; code: RejectionCode; message: string } {
  return { ok: false, code, message };
}

/** At most `max` characters of `text`: rejection messages are stored, and records are hostile. */
function bounded(text: string, max = 1_000): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

function isoOrNumber(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

function codecMessage(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return typeof e?.code === 'string' ? `${e.code}: ${message}` : message;
}
