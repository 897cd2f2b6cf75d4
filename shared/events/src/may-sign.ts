import type { EventType, Role } from './custody-event.ts';
import type { RegistryState } from './registry-state.ts';

/** Which roles may sign which event type (DESIGN §3). Custody rules (who holds what) are the fold's job. */
export const ENTITLEMENTS: Readonly<Record<EventType, readonly Role[]>> = Object.freeze({
  COMMISSION: ['MANUFACTURER'],
  RECALL: ['MANUFACTURER'],
  AGGREGATE: ['MANUFACTURER', 'DISTRIBUTOR', 'PHARMACY'],
  DISAGGREGATE: ['MANUFACTURER', 'DISTRIBUTOR', 'PHARMACY'],
  SHIP: ['MANUFACTURER', 'DISTRIBUTOR', 'PHARMACY'],
  DECOMMISSION: ['MANUFACTURER', 'DISTRIBUTOR', 'PHARMACY'],
  // Manufacturers receive returns.
  RECEIVE: ['MANUFACTURER', 'DISTRIBUTOR', 'PHARMACY'],
  DISPENSE: ['PHARMACY'],
  REGISTRY: ['AUTHORITY'],
  // The same pharmacy only, within 10 days: the fold judges that (DESIGN §3).
  UNDO_DISPENSE: ['PHARMACY'],
  // Raised where the pack was scanned; investigated by the GTIN's manufacturer, the pharmacy that
  // raised it and regulators: which alert each may touch is the fold's job.
  RAISE_ALERT: ['PHARMACY'],
  UPDATE_ALERT: ['MANUFACTURER', 'PHARMACY', 'REGULATOR'],
});

export type SignerRejection =
  'UNKNOWN_KEY' | 'KEY_NOT_YET_VALID' | 'KEY_REVOKED' | 'KEY_PARTY_MISMATCH' | 'ROLE_NOT_ENTITLED';

export type SignerCheck = { ok: true } | { ok: false; code: SignerRejection; message: string };

/** What is asked of the registry as it stands: may key `keyId` sign an event of `type` for `party` now? */
export interface SignerQuery {
  keyId: string;
  type: EventType;
  /**
   * The event's eventTime, epoch ms, judged against the key's validFrom only. Revocation is not judged
   * by time: a key revoked in the registry as it stands signs nothing appended from then on, whatever
   * eventTime it claims, and what it signed before stays valid (DESIGN §3: key validity by the broker's
   * clock, which in a single-partition log is the log's own order).
   */
  time: number;
  /** GLN-13 of the party the event is signed for. */
  party: string;
}

/**
 * Whether a key may sign an event of a type at a time for a party, or the reason it may not.
 * @example maySign(state, { keyId, type: 'SHIP', time: event.eventTime, party: event.party })
 */
export function maySign(state: RegistryState, q: SignerQuery): SignerCheck {
  const key = state.keys.get(q.keyId);
  if (key === undefined)
    return { ok: false, code: 'UNKNOWN_KEY', message: `key ${q.keyId} is not registered` };
  if (key.gln !== q.party) {
    return {
      ok: false,
      code: 'KEY_PARTY_MISMATCH',
      message: `key ${q.keyId} belongs to ${key.gln}, not ${q.party}`,
    };
  }
  if (q.time < key.validFrom) {
    return {
      ok: false,
      code: 'KEY_NOT_YET_VALID',
      message: `key ${q.keyId} is valid from ${iso(key.validFrom)}, event time is ${iso(q.time)}`,
    };
  }
  if (key.revokedAt !== undefined) {
    return {
      ok: false,
      code: 'KEY_REVOKED',
      message: `key ${q.keyId} was revoked (${key.revocationReason ?? 'no reason'}; compromised from ${iso(key.revokedAt)}) before this record was appended`,
    };
  }
  const roles = state.parties.get(key.gln)?.roles ?? [];
  const entitled = ENTITLEMENTS[q.type];
  if (!roles.some((r) => entitled.includes(r))) {
    return {
      ok: false,
      code: 'ROLE_NOT_ENTITLED',
      message: `${q.type} needs role ${entitled.join(' or ')}; ${q.party} has ${roles.join(', ') || 'no roles'}`,
    };
  }
  return { ok: true };
}

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}
