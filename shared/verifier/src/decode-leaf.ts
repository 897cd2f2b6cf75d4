import {
  type CustodyEvent,
  type DecodedLedgerEntry,
  decodeCustodyEvent,
  decodeLedgerEntry,
  decodeSignedEvent,
  fingerprintHex,
  linkSubjects,
  namedItems,
  rxledgerSchemas,
  type SignedEvent,
  signerSubjects,
} from '@rxledger/events/portable';

/** A leaf read through all three of its records with the verifier's own schemas. */
export interface DecodedLeaf {
  /** The ledger entry; `entry.version` 2 carries appendedAt, registry links and signer links. */
  entry: DecodedLedgerEntry;
  signed: SignedEvent;
  event: CustodyEvent;
  /** The items the event names: the first `items.length` of `entry.links` follow them one for one. */
  items: string[];
  /** What `entry.links` follows one for one: the items, then (v2 REGISTRY leaves) the registry subjects. */
  subjects: string[];
  /** v2: what `entry.signerLinks` follows one for one (signing party, signing key); [] for v1. */
  signers: string[];
  /** Fingerprints (16 hex) of the ledger entry, signed event and custody event records. */
  fingerprints: string[];
}

export type DecodeResult = { ok: true; leaf: DecodedLeaf } | { ok: false; message: string };

/**
 * Decodes leaf bytes as LedgerEntry (v1 or v2) → SignedEvent → CustodyEvent with the schemas this
 * verifier ships (never the bundle's), and checks there is one link per link subject and, for v2,
 * one signer link per signer subject.
 */
export function decodeLeaf(bytes: Uint8Array): DecodeResult {
  let entry: DecodedLedgerEntry;
  let signed: SignedEvent;
  let event: CustodyEvent;
  try {
    entry = decodeLedgerEntry(bytes, rxledgerSchemas);
  } catch (err) {
    return fail('ledger entry', err);
  }
  try {
    signed = decodeSignedEvent(entry.signedEvent, rxledgerSchemas);
  } catch (err) {
    return fail('signed event', err);
  }
  try {
    event = decodeCustodyEvent(signed.event, rxledgerSchemas);
  } catch (err) {
    return fail('custody event', err);
  }
  const items = namedItems(event);
  const subjects = linkSubjects(event, entry.version);
  if (entry.links.length !== subjects.length) {
    const registry = subjects.length - items.length;
    const what = registry === 0 ? '' : ` and the ${registry} registry subjects its changes touch`;
    return {
      ok: false,
      message: `${entry.links.length} links for the ${items.length} items the event names${what}`,
    };
  }
  const signers = entry.version === 2 ? signerSubjects(event.party, signed.keyId) : [];
  if ((entry.signerLinks ?? []).length !== signers.length) {
    return {
      ok: false,
      message: `${entry.signerLinks?.length} signer links for the ${signers.length} signer subjects (party, key)`,
    };
  }
  const fingerprints = [bytes, entry.signedEvent, signed.event].map(headerFingerprint);
  return { ok: true, leaf: { entry, signed, event, items, subjects, signers, fingerprints } };
}

// Single-object encoding carries the fingerprint little-endian in bytes 2..9 (already checked by decode).
function headerFingerprint(record: Uint8Array): string {
  let fp = 0n;
  for (let i = 9; i >= 2; i--) fp = (fp << 8n) | BigInt(record[i] ?? 0);
  return fingerprintHex(fp);
}

function fail(layer: string, err: unknown): DecodeResult {
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return { ok: false, message: `${layer}: ${typeof e?.code === 'string' ? `${e.code}: ` : ''}${message}` };
}
