import {
  decodeSignedEvent,
  type EventContent,
  MAX_RECORD_BYTES,
  type RegistryState,
  readEventContent,
  type SignedEvent,
  signingPayload,
} from '@rxledger/events';
import { WorkSlices } from '@rxledger/runtime';

/** A record as consumed: its offset, value, and the broker's append time (LogAppendTime). */
export interface ConsumedRecord {
  offset: number;
  value: Uint8Array | null;
  /** Broker append time, epoch ms: the same for every node, unlike a node's own clock. */
  timestamp: number;
}

/**
 * What was learnt about a record ahead of the fold: its decoded envelope and event with the event
 * rules' verdict on it, and, maybe, a signature verdict.
 */
export interface Prechecked {
  signed: SignedEvent;
  /** readEventContent(signed); absent if working it out threw (the fold then judges it itself). */
  content?: EventContent;
  /** The key bytes the signature was checked against, and whether it verified. */
  verdict?: { key: Uint8Array; ok: boolean };
}

/** Work precheck does before it lets the event loop answer queries (ms). */
const PRECHECK_SLICE_MS = 5;

/**
 * Decodes the envelopes and events of `records`, applies the event rules, and checks their signatures
 * on `pool` against the keys the registry holds now, yielding to the event loop every few ms. Records
 * whose key is unknown yet (added later in the same batch) get no verdict.
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
  const slices = new WorkSlices(PRECHECK_SLICE_MS);
  for (const record of records) {
    if (slices.due) await slices.next();
    if (!record.value || record.value.length === 0 || record.value.length > MAX_RECORD_BYTES) continue;
    let signed: SignedEvent;
    try {
      signed = decodeSignedEvent(record.value);
    } catch {
      continue;
    }
    const pre: Prechecked = { signed };
    try {
      pre.content = readEventContent(signed);
    } catch {
      // Left to the fold, which refuses the record with the reason.
    }
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
