// Which of a hosted party's keys to sign with, from what the ledger's registry says of them: pure, so
// each case of a rotation is tested without a ledger.
import type { SigningKey } from '@rxledger/events';

/** One key of a party as GET /v1/registry shows it (times RFC 3339). */
export interface RegisteredKeyView {
  keyId: string;
  validFrom: string;
  revokedAt?: string | undefined;
}

/** Where a party's signing key stands in the registry, for /healthz and the log. */
export type KeyState =
  | 'REGISTERED'
  /** The registry has not been read (yet): the configured key is used. */
  | 'REGISTRY_UNKNOWN'
  | 'NOT_REGISTERED'
  | 'NOT_YET_VALID'
  | 'REVOKED';

/** The key to sign with, and what the registry says of it. */
export interface SigningChoice {
  key: SigningKey;
  state: KeyState;
}

/**
 * The key a party signs with: its `next` key (nextKeyFile) once the registry holds it for the party,
 * valid and unrevoked; its `current` key (keyFile) otherwise. `registered` is the party's keys in the
 * registry, undefined while the registry is unknown. A revoked key is still used when no other is
 * valid (the ledger judges, and says why): the state tells the operator.
 * @example chooseSigningKey({ current, next }, registry.keysOf(gln), Date.now()).key
 */
export function chooseSigningKey(
  keys: { current: SigningKey; next?: SigningKey | undefined },
  registered: readonly RegisteredKeyView[] | undefined,
  now: number,
): SigningChoice {
  if (registered === undefined) return { key: keys.current, state: 'REGISTRY_UNKNOWN' };
  const current = stateOf(keys.current, registered, now);
  if (keys.next !== undefined) {
    const next = stateOf(keys.next, registered, now);
    if (next === 'REGISTERED') return { key: keys.next, state: next };
    // Both revoked (the rotated-in key stolen later): the newer one, whose revocation is the news.
    if (next === 'REVOKED' && current !== 'REGISTERED') return { key: keys.next, state: next };
  }
  return { key: keys.current, state: current };
}

function stateOf(key: SigningKey, registered: readonly RegisteredKeyView[], now: number): KeyState {
  const entry = registered.find((k) => k.keyId === key.keyId);
  if (entry === undefined) return 'NOT_REGISTERED';
  // Revocation takes effect in log order, whatever time it names: a revoked key signs nothing new.
  if (entry.revokedAt !== undefined) return 'REVOKED';
  const from = Date.parse(entry.validFrom);
  return Number.isNaN(from) || from > now ? 'NOT_YET_VALID' : 'REGISTERED';
}
