import {
  decodeSignedEvent,
  type EventContent,
  MAX_RECORD_BYTES,
  type RegistryState,
  readEventContent,
  type SignedEvent,
  signedMessages,
} from '@rxledger/events';
import { WorkSlices } from '@rxledger/runtime';
import { BatchVerdicts } from './batch-verdicts.ts';

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

type SignatureJob = { key: Uint8Array; message: Uint8Array; signature: Uint8Array };

/** The verdicts on batch signatures this process has reached (they depend on the signed bytes alone). */
const processVerdicts = new BatchVerdicts();

/**
 * Decodes the envelopes and events of `records`, applies the event rules, and checks their signatures
 * on `pool` against the keys the registry holds now, yielding to the event loop every few ms. A batch
 * signature (SignedEvent v2) is checked once for all the records that carry it, and remembered in
 * `verdicts`; each record's own path is still checked, against its batch's tree when every record of
 * the batch is here, else on its own.
 * Records whose key is unknown yet (added later in the same batch) get no verdict.
 */
export async function precheck(
  records: readonly ConsumedRecord[],
  registry: RegistryState,
  verify: (jobs: SignatureJob[]) => Promise<boolean[]>,
  verdicts: BatchVerdicts = processVerdicts,
): Promise<Map<number, Prechecked>> {
  const out = new Map<number, Prechecked>();
  const jobs: SignatureJob[] = [];
  // Per job: the records waiting on it, and its cache id when it is a batch signature.
  const owners: Prechecked[][] = [];
  const ids: (string | undefined)[] = [];
  const pending = new Map<string, number>();
  const slices = new WorkSlices(PRECHECK_SLICE_MS);
  const read: Prechecked[] = [];
  for (const record of records) {
    if (slices.due) await slices.next();
    const pre = decoded(record);
    if (pre === undefined) continue;
    out.set(record.offset, pre);
    read.push(pre);
  }
  // Whole batches share one tree build; a batch of 10,000 takes some tens of ms on this thread, which
  // answers no queries (the fold thread).
  const signedBytes = signedMessages(read.map((p) => p.signed));
  for (const [n, pre] of read.entries()) {
    if (slices.due) await slices.next();
    const { signed } = pre;
    const key = registry.started ? registry.keys.get(signed.keyId)?.publicKey : registry.anchor;
    if (!key || signed.keyId !== key.keyId || signed.signature.length !== 64) continue;
    // A batch position that leads to no root is left to the fold, which refuses it with the reason.
    const message = signedBytes[n]!;
    if (!message.ok) continue;
    const job = { key: key.bytes, message: message.message, signature: signed.signature };
    const id = signed.batch && BatchVerdicts.idOf(job.key, job.message, job.signature);
    const known = id === undefined ? undefined : verdicts.get(id);
    if (known !== undefined) {
      pre.verdict = { key: key.bytes, ok: known };
      continue;
    }
    const waiting = id === undefined ? undefined : pending.get(id);
    if (waiting !== undefined) {
      owners[waiting]!.push(pre);
      continue;
    }
    if (id !== undefined) pending.set(id, jobs.length);
    jobs.push(job);
    owners.push([pre]);
    ids.push(id);
  }
  const results = await verify(jobs);
  results.forEach((ok, i) => {
    for (const pre of owners[i]!) pre.verdict = { key: jobs[i]!.key, ok };
    if (ids[i] !== undefined) verdicts.set(ids[i]!, ok);
  });
  return out;
}

// The record's envelope and event, decoded once for the precheck and the fold; undefined when the
// envelope does not decode (the fold refuses it with the reason).
function decoded(record: ConsumedRecord): Prechecked | undefined {
  if (!record.value || record.value.length === 0 || record.value.length > MAX_RECORD_BYTES) return undefined;
  let signed: SignedEvent;
  try {
    signed = decodeSignedEvent(record.value);
  } catch {
    return undefined;
  }
  const pre: Prechecked = { signed };
  try {
    pre.content = readEventContent(signed);
  } catch {
    // Left to the fold, which refuses the record with the reason.
  }
  return pre;
}
