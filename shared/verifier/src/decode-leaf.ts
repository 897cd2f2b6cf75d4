import {
  type CustodyEvent,
  decodeCustodyEvent,
  decodeLedgerEntry,
  decodeSignedEvent,
  fingerprintHex,
  type LedgerEntry,
  namedItems,
  rxledgerSchemas,
  type SignedEvent,
} from '@rxledger/events';

/** A leaf read through all three of its records with the verifier's own schemas. */
export interface DecodedLeaf {
  entry: LedgerEntry;
  signed: SignedEvent;
  event: CustodyEvent;
  /** The items the event names, which `entry.links` follows one for one. */
  items: string[];
  /** Fingerprints (16 hex) of the ledger entry, signed event and custody event records. */
  fingerprints: string[];
}

export type DecodeResult = { ok: true; leaf: DecodedLeaf } | { ok: false; message: string };

/**
 * Decodes leaf bytes as LedgerEntry → SignedEvent → CustodyEvent with the schemas this verifier
 * ships (never the bundle's), and checks there is one link per named item.
 */
export function decodeLeaf(bytes: Uint8Array): DecodeResult {
  let entry: LedgerEntry;
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
  if (entry.links.length !== items.length) {
    return {
      ok: false,
      message: `${entry.links.length} links for the ${items.length} items the event names`,
    };
  }
  const fingerprints = [bytes, entry.signedEvent, signed.event].map(headerFingerprint);
  return { ok: true, leaf: { entry, signed, event, items, fingerprints } };
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
