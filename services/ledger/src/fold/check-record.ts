import {
  type CodecError,
  type CustodyEvent,
  checkCustodyEvent,
  decodeCustodyEvent,
  decodeSignedEvent,
  type Ed25519,
  MAX_FUTURE_MS,
  maySign,
  ownsGtin,
  type RegistryState,
  type SignedEvent,
  signingPayload,
  verifyEventSignature,
} from '@rxledger/events';
import { bytesEqual } from '@rxledger/tlog';
import type { RejectionCode } from './rejection-codes.ts';

/** A record as consumed: its offset, value, and the broker's append time (LogAppendTime). */
export interface ConsumedRecord {
  offset: number;
  value: Uint8Array | null;
  /** Broker append time, epoch ms: the same for every node, unlike a node's own clock. */
  timestamp: number;
}

export interface Rejected {
  ok: false;
  code: RejectionCode;
  message: string;
  /** What could be read of the record, for the rejection's row. */
  eventId?: string;
  party?: string;
  keyId?: string;
  eventType?: string;
}

/** What was learnt about a record ahead of the fold: its decoded envelope and, maybe, a signature verdict. */
export interface Prechecked {
  signed: SignedEvent;
  /** The key bytes the signature was checked against, and whether it verified. */
  verdict?: { key: Uint8Array; ok: boolean };
}

export interface Verified {
  ok: true;
  signed: SignedEvent;
  event: CustodyEvent;
}

/**
 * Decodes and verifies one record against the registry as it stands: schema, key validity at
 * eventTime, role, signature, event rules, company-prefix ownership. Pure: the same record and registry
 * give the same answer on every node, which is what keeps two nodes' logs byte-identical.
 */
export function checkRecord(
  record: ConsumedRecord,
  registry: RegistryState,
  ed: Ed25519,
  pre?: Prechecked,
): Verified | Rejected {
  if (record.value === null || record.value.length === 0) {
    return { ok: false, code: 'UNDECODABLE', message: 'empty record value' };
  }
  let signed: SignedEvent;
  let event: CustodyEvent;
  try {
    signed = pre?.signed ?? decodeSignedEvent(record.value);
  } catch (err) {
    return { ok: false, code: 'UNDECODABLE', message: `signed event: ${codecMessage(err)}` };
  }
  try {
    event = decodeCustodyEvent(signed.event);
  } catch (err) {
    return {
      ok: false,
      code: 'UNDECODABLE',
      message: `custody event: ${codecMessage(err)}`,
      keyId: signed.keyId,
    };
  }
  const about = { eventId: event.eventId, party: event.party, keyId: signed.keyId, eventType: event.type };

  let key = registry.keys.get(signed.keyId)?.publicKey;
  if (!registry.started) {
    if (event.type !== 'REGISTRY' || signed.keyId !== registry.anchor.keyId) {
      return {
        ok: false,
        code: 'NO_GENESIS',
        message: 'the first record must be the genesis REGISTRY event signed by the authority',
        ...about,
      };
    }
    key = registry.anchor;
  } else {
    const may = maySign(registry, {
      keyId: signed.keyId,
      type: event.type,
      time: event.eventTime,
      party: event.party,
    });
    if (!may.ok) return { ok: false, code: may.code, message: may.message, ...about };
  }
  const sig = verifyEventSignature(withVerdict(ed, pre?.verdict), signed, key!);
  if (!sig.ok) return { ok: false, code: 'BAD_SIGNATURE', message: `${sig.code}: ${sig.message}`, ...about };

  if (event.eventTime > record.timestamp + MAX_FUTURE_MS) {
    return {
      ok: false,
      code: 'FUTURE_EVENT_TIME',
      message: `eventTime ${new Date(event.eventTime).toISOString()} is more than 5 minutes after the record reached the broker (${new Date(record.timestamp).toISOString()})`,
      ...about,
    };
  }
  const issues = checkCustodyEvent(event, { now: record.timestamp });
  if (issues.length > 0) {
    return {
      ok: false,
      code: 'INVALID_EVENT',
      message: issues.map((i) => `${i.field}: ${i.reason}`).join('; '),
      ...about,
    };
  }
  if (registry.started) {
    const foreign = foreignIdentifiers(registry, event);
    if (foreign.length > 0) {
      return {
        ok: false,
        code: 'NOT_GTIN_OWNER',
        message: `${event.party} owns no company prefix of ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ` and ${foreign.length - 3} more` : ''}`,
        ...about,
      };
    }
  }
  return { ok: true, signed, event };
}

const SGTIN = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/21\//;
const SSCC = /^https:\/\/id\.gs1\.org\/00\/(\d{18})$/;

// COMMISSION and RECALL may only be signed by the manufacturer that owns the identifiers.
function foreignIdentifiers(registry: RegistryState, event: CustodyEvent): string[] {
  if (event.type === 'RECALL') return ownsGtin(registry, event.party, event.gtin) ? [] : [event.gtin];
  if (event.type !== 'COMMISSION') return [];
  const party = registry.parties.get(event.party);
  return event.items.filter((item) => {
    const gtin = SGTIN.exec(item)?.[1];
    if (gtin) return !ownsGtin(registry, event.party, gtin);
    // An SSCC is extension digit + company prefix + serial reference.
    const sscc = SSCC.exec(item)?.[1];
    return !(sscc && party?.companyPrefixes.some((p) => sscc.slice(1).startsWith(p)));
  });
}

/**
 * An Ed25519 that answers from a verdict reached ahead of time for this very record (same message
 * and signature), provided it was reached with the same key bytes; otherwise it verifies itself.
 */
function withVerdict(ed: Ed25519, verdict: Prechecked['verdict']): Ed25519 {
  if (!verdict) return ed;
  return {
    name: ed.name,
    sign: ed.sign,
    verify: (key, message, signature) =>
      bytesEqual(key.bytes, verdict.key) ? verdict.ok : ed.verify(key, message, signature),
  };
}

function codecMessage(err: unknown): string {
  const e = err as CodecError;
  return e.code ? `${e.code}: ${e.message}` : String((err as Error).message ?? err);
}

/**
 * Decodes the envelopes of `records` and checks their signatures on `pool` against the keys the
 * registry holds now. Records whose key is unknown yet (added later in the same batch) get no verdict.
 */
export async function precheck(
  records: readonly ConsumedRecord[],
  registry: RegistryState,
  verify: (
    jobs: Array<{ key: Uint8Array; message: Uint8Array; signature: Uint8Array }>,
  ) => Promise<boolean[]>,
): Promise<Map<number, Prechecked>> {
  const out = new Map<number, Prechecked>();
  const jobs: Array<{ key: Uint8Array; message: Uint8Array; signature: Uint8Array }> = [];
  const owners: Prechecked[] = [];
  for (const record of records) {
    if (!record.value || record.value.length === 0) continue;
    let signed: SignedEvent;
    try {
      signed = decodeSignedEvent(record.value);
    } catch {
      continue;
    }
    const pre: Prechecked = { signed };
    out.set(record.offset, pre);
    const key = registry.started ? registry.keys.get(signed.keyId)?.publicKey : registry.anchor;
    if (key && signed.keyId === key.keyId && signed.signature.length === 64) {
      jobs.push({ key: key.bytes, message: signingPayload(signed.event), signature: signed.signature });
      owners.push(pre);
    }
  }
  const results = await verify(jobs);
  results.forEach((ok, i) => {
    owners[i]!.verdict = { key: jobs[i]!.key, ok };
  });
  return out;
}
