import type { Role } from './custody-event.ts';
import type { VerifyingKey } from './keys.ts';

/** A registered participant. */
export interface Party {
  /** GLN-13. */
  gln: string;
  name: string;
  roles: readonly Role[];
  /** GS1 company prefixes whose GTINs this party owns (manufacturers). */
  companyPrefixes: readonly string[];
}

/** A registered signing key of a party. */
export interface RegisteredKey {
  keyId: string;
  /** GLN-13 of the party the key signs for. */
  gln: string;
  publicKey: VerifyingKey;
  /** Epoch ms from which events (by eventTime) may be signed with it. */
  validFrom: number;
  /**
   * Set once the key is revoked: from that point of the log on it signs nothing. The value is the time
   * from which the authority holds the key compromised, as its RevokeKey says (for people and alerts).
   */
  revokedAt?: number;
  revocationReason?: string;
}

/** The participant registry: a pure fold of REGISTRY events, rooted in the authority's key. */
export interface RegistryState {
  /** The trust anchor: the registry authority's key, given from outside; it must sign the genesis record. */
  readonly anchor: VerifyingKey;
  /** Whether the genesis record has been applied. */
  readonly started: boolean;
  readonly parties: ReadonlyMap<string, Party>;
  readonly keys: ReadonlyMap<string, RegisteredKey>;
}

/** The registry before its genesis record, trusting only `anchor`. */
export function createRegistry(anchor: VerifyingKey): RegistryState {
  return { anchor, started: false, parties: new Map(), keys: new Map() };
}
