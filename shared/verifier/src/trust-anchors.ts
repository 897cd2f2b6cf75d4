// What a verifier trusts, read from text a person gives (command-line flags, a credentials file, the
// page's anchor fields): one reading for the CLI and the web page, so both refuse the same keys for the
// same reasons.
import { KeyError, VerifyingKey } from '@rxledger/events/portable';
import { fromBase64, parseVerifierKey, TlogError } from '@rxledger/tlog';
import type { VerifierTrust, WitnessPolicy } from './bundle-report.ts';
import { parseWitnessPolicy } from './check-witnesses.ts';

/** The anchors as text, and where each came from, so that a refusal names its source. */
export interface AnchorText {
  checkpointKey: string;
  authorityKey: string;
  origin?: string | undefined;
  /** A k-of-n witness policy, when the checkpoint must carry witnesses' cosignatures. */
  witnesses?: WitnessPolicy | undefined;
  /** How to name each field in a message, e.g. `--checkpoint-key` or `ledger.checkpointKey of c.json`. */
  names?: { checkpointKey?: string; authorityKey?: string };
}

/** A trust anchor that cannot be used, naming the field and the reason. */
export class AnchorError extends Error {
  constructor(
    readonly field: 'checkpointKey' | 'authorityKey' | 'witnesses',
    message: string,
  ) {
    super(message);
    this.name = 'AnchorError';
  }
}

/**
 * The trust of `verifyBundle` from anchor text: the checkpoint key in C2SP vkey form, the authority's
 * raw Ed25519 key in standard base64, and the log's origin (by default the key's name: in C2SP a
 * checkpoint key is named after its log). Always sets an origin: a checkpoint of another log signed
 * with the same key proves nothing about this one.
 */
export function readTrustAnchors(text: AnchorText): VerifierTrust {
  const checkpointName = text.names?.checkpointKey ?? 'checkpoint key';
  const authorityName = text.names?.authorityKey ?? 'authority key';
  let keyName: string;
  try {
    keyName = parseVerifierKey(text.checkpointKey.trim()).name;
  } catch (e) {
    if (!(e instanceof TlogError)) throw e;
    throw new AnchorError('checkpointKey', `${checkpointName}: ${e.message}`);
  }
  let authority: VerifyingKey;
  try {
    authority = VerifyingKey.fromBytes(fromBase64(text.authorityKey.trim(), 'base64'));
  } catch (e) {
    if (!(e instanceof TlogError || e instanceof KeyError)) throw e;
    throw new AnchorError('authorityKey', `${authorityName}: ${e.message}`);
  }
  const origin = text.origin?.trim() || keyName;
  const trust: VerifierTrust = { checkpointKey: text.checkpointKey.trim(), authorityKey: authority, origin };
  if (text.witnesses === undefined) return trust;
  try {
    parseWitnessPolicy(text.witnesses);
  } catch (e) {
    throw new AnchorError('witnesses', (e as Error).message);
  }
  return { ...trust, witnesses: text.witnesses };
}

/** `ledger.witnessPolicy` of a parsed credentials file ({ quorum, keys: [vkey, ...] }), if it has one. */
export function credentialWitnessPolicy(credentials: unknown, source: string): WitnessPolicy | undefined {
  const policy = (credentials as { ledger?: { witnessPolicy?: unknown } } | null)?.ledger?.witnessPolicy;
  if (policy === undefined) return undefined;
  const p = policy as { quorum?: unknown; keys?: unknown } | null;
  if (
    typeof p !== 'object' ||
    p === null ||
    typeof p.quorum !== 'number' ||
    !Array.isArray(p.keys) ||
    !p.keys.every((k) => typeof k === 'string')
  ) {
    throw new Error(`${source}: ledger.witnessPolicy must be { "quorum": number, "keys": [vkey, ...] }`);
  }
  return { quorum: p.quorum, keys: p.keys as string[] };
}

/** The anchor fields a credentials file (data/demo/credentials.json) holds under `ledger`. */
export const CREDENTIAL_FIELDS = ['checkpointKey', 'authorityPublicKey', 'checkpointOrigin'] as const;
export type CredentialAnchors = Partial<Record<(typeof CREDENTIAL_FIELDS)[number], string>>;

/** The anchor fields of a parsed credentials file; throws naming `source` when they are not strings. */
export function credentialAnchors(credentials: unknown, source: string): CredentialAnchors {
  const ledger = (credentials as { ledger?: unknown } | null)?.ledger;
  if (typeof ledger !== 'object' || ledger === null) throw new Error(`${source} has no "ledger" object`);
  const out: CredentialAnchors = {};
  for (const name of CREDENTIAL_FIELDS) {
    const value = (ledger as Record<string, unknown>)[name];
    if (value !== undefined && typeof value !== 'string')
      throw new Error(`${source}: ledger.${name} must be a string`);
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
