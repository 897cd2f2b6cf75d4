import type { CustodyEventJson, EventType, VerifyingKey } from '@rxledger/events/portable';

/** The checks `verifyBundle` makes, in the order it makes them. */
export const CHECK_NAMES = [
  'bundle shape',
  'checkpoint',
  'witness cosignatures',
  'schema fingerprint',
  'leaf decoding',
  'registry inclusion',
  'registry signature',
  'registry links',
  'signer links',
  'registry completeness',
  'entry inclusion',
  'entry signature',
  'hash links',
  'leaf seq',
] as const;

/** Name of one kind of check; stable, so tools and tests can match on it. */
export type CheckName = (typeof CHECK_NAMES)[number];

/** One check and its outcome. `index` is set when the check is about one leaf. */
export interface BundleCheck {
  ok: boolean;
  what: CheckName;
  index?: number;
  detail?: string;
}

/** What a verifier trusts: the ledger node's checkpoint key and the registry authority's key. */
export interface VerifierTrust {
  /** The ledger node's note verifier key in C2SP vkey form (`name+keyid+base64`). */
  checkpointKey: string;
  /** The registry authority's raw 32-byte Ed25519 public key, or the key already checked. */
  authorityKey: Uint8Array | VerifyingKey;
  /** The log's origin line; when given, a checkpoint for another log fails. */
  origin?: string;
  /** Witnesses whose cosignatures the checkpoint must carry; without it none are required. */
  witnesses?: WitnessPolicy;
}

/**
 * A k-of-n witness policy: the checkpoint counts only when at least `quorum` of the witnesses whose
 * C2SP cosignature keys (type 0x04 vkeys) are in `keys` cosigned it (C2SP tlog-cosignature).
 */
export interface WitnessPolicy {
  quorum: number;
  keys: readonly string[];
}

/** Which witnesses of the policy cosigned the bundle's checkpoint. */
export interface WitnessReport {
  quorum: number;
  of: number;
  /** Each with the time it says it cosigned (RFC 3339, UTC). */
  cosigned: Array<{ name: string; vkey: string; time: string }>;
  missing: string[];
  /** Witnesses with a line by their name and key ID that does not verify. */
  invalid: string[];
}

/** One leaf of the item's history, decoded from the leaf bytes (never from the bundle's timeline). */
export interface TimelineEntry {
  index: number;
  /** Whether the checkpoint verified and every check about this leaf passed. */
  verified: boolean;
  eventId: string;
  type: EventType;
  /** RFC 3339 at the offset the event was recorded with. */
  eventTime: string;
  party: string;
  site: string;
  keyId: string;
  /** The items the event names, in the order of its links. */
  items: string[];
  /** What the event did to the asked item, for people. */
  effect: string;
  event: CustodyEventJson;
}

/** The outcome of `verifyBundle`. */
export interface BundleReport {
  /** True when there is at least one check and every check passed. */
  ok: boolean;
  /** The item the bundle is about, once the bundle's shape is known. */
  item?: string;
  /** The verified checkpoint; absent when its signature did not verify. */
  checkpoint?: { origin: string; size: number; rootHex: string; signedBy: string };
  /** With a witness policy: who cosigned the checkpoint. */
  witnesses?: WitnessReport;
  checks: BundleCheck[];
  /** The entries, ascending index; each says whether it verified. */
  timeline: TimelineEntry[];
  /** The registry leaves, decoded the same way; `effect` summarises their changes. */
  registry: TimelineEntry[];
}
