import { admitRecord, formatRfc3339, nobleEd25519 } from '@rxledger/events/portable';
import type { BundleCheck } from './bundle-report.ts';
import type { DecodedLeaf } from './decode-leaf.ts';
import type { RegistryHistory } from './fold-registry.ts';

/**
 * Whether entry `index` passes the ledger's own admission rule (@rxledger/events admitRecord, with
 * @noble) against the registry as it stood when the entry was appended: a valid signature by a key
 * registered to the signing party and not revoked before that point of the log, a role that may sign
 * the type, valid identifiers owned by the signer where it commissions or recalls. A v2 leaf carries
 * the broker time it was judged by (appendedAt), so the whole time window is checked as the fold did;
 * of a v1 leaf's only the fixed floor can be.
 */
export function checkSigner(index: number, leaf: DecodedLeaf, registry: RegistryHistory): BundleCheck {
  const what = 'entry signature';
  const then = registry.at(index);
  if (!then.started) return { ok: false, what, index, detail: 'no verified genesis precedes this entry' };
  const admission = admitRecord(leaf.entry.signedEvent, {
    registry: then,
    ed: nobleEd25519,
    appendedAt: leaf.entry.appendedAt,
  });
  if (!admission.ok) return { ok: false, what, index, detail: `${admission.code}: ${admission.message}` };
  const { event, signed } = admission;
  const roles = then.parties.get(event.party)?.roles.join(', ') ?? '';
  const batch = signed.batch
    ? `, event ${signed.batch.index + 1} of a batch of ${signed.batch.size} signed once`
    : '';
  return {
    ok: true,
    what,
    index,
    detail: `signed by key ${signed.keyId} of ${event.party} (${roles})${batch}, valid at ${formatRfc3339(event.eventTime, event.eventTimeOffsetMinutes)}`,
  };
}
