import { type Admission, admitRecord, type Ed25519, type RegistryState } from '@rxledger/events';
import { bytesEqual } from '@rxledger/tlog';
import type { ConsumedRecord, Prechecked } from '../intake/precheck.ts';

export type Rejected = Extract<Admission, { ok: false }>;

/**
 * The admission rule (@rxledger/events admitRecord) applied to one consumed record, judged by the
 * broker's append time, with the signature verdict reached ahead of the fold where there is one.
 */
export function checkRecord(
  record: ConsumedRecord,
  registry: RegistryState,
  ed: Ed25519,
  pre?: Prechecked,
  latenessMs?: number,
): Admission {
  return admitRecord(record.value, {
    registry,
    ed: withVerdict(ed, pre?.verdict),
    appendedAt: record.timestamp,
    latenessMs,
    signed: pre?.signed,
    content: pre?.content,
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
