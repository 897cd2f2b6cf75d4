import {
  type CustodyEvent,
  formatRfc3339,
  maySign,
  nobleEd25519,
  ownsGtin,
  type RegistryState,
  verifyEventSignature,
} from '@rxledger/events';
import type { BundleCheck } from './bundle-report.ts';
import type { DecodedLeaf } from './decode-leaf.ts';
import type { RegistryHistory } from './fold-registry.ts';

const SGTIN = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/21\//;
const SSCC = /^https:\/\/id\.gs1\.org\/00\/(\d{18})$/;

/**
 * Whether entry `index` carries a valid @noble-checked signature by a key that the registry, as it
 * stood when the entry was appended, let sign this type for this party at its eventTime, and that no
 * registry leaf revoked from before that eventTime, even one appended later (revocation is
 * retroactive). COMMISSION and RECALL must come from the GTIN's owner, as the ledger requires.
 */
export function checkSigner(index: number, leaf: DecodedLeaf, registry: RegistryHistory): BundleCheck {
  const what = 'entry signature';
  const { signed, event } = leaf;
  const fail = (detail: string): BundleCheck => ({ ok: false, what, index, detail });
  const then = registry.at(index);
  if (!then.started) return fail('no verified genesis precedes this entry');
  const query = { keyId: signed.keyId, type: event.type, time: event.eventTime, party: event.party };
  const may = maySign(then, query);
  if (!may.ok) return fail(`${may.code}: ${may.message}`);
  const key = then.keys.get(signed.keyId)!;
  const signature = verifyEventSignature(nobleEd25519, signed, key.publicKey);
  if (!signature.ok) return fail(`${signature.code}: ${signature.message}`);
  // Later role changes do not undo what a party was entitled to sign; a revocation does.
  const now = maySign(registry.final, query);
  if (!now.ok && now.code === 'KEY_REVOKED') {
    return fail(`KEY_REVOKED by registry leaf ${registry.revokedBy(signed.keyId)}: ${now.message}`);
  }
  const foreign = foreignIdentifiers(then, event);
  if (foreign.length > 0) {
    return fail(`NOT_GTIN_OWNER: ${event.party} owns no company prefix of ${foreign.slice(0, 3).join(', ')}`);
  }
  const roles = then.parties.get(event.party)?.roles.join(', ') ?? '';
  return {
    ok: true,
    what,
    index,
    detail: `signed by key ${signed.keyId} of ${event.party} (${roles}), valid at ${formatRfc3339(event.eventTime, event.eventTimeOffsetMinutes)}`,
  };
}

// The identifiers of a COMMISSION or RECALL that the signer does not own (mirrors the ledger's check).
function foreignIdentifiers(registry: RegistryState, event: CustodyEvent): string[] {
  if (event.type === 'RECALL') return ownsGtin(registry, event.party, event.gtin) ? [] : [event.gtin];
  if (event.type !== 'COMMISSION') return [];
  const prefixes = registry.parties.get(event.party)?.companyPrefixes ?? [];
  return event.items.filter((item) => {
    const gtin = SGTIN.exec(item)?.[1];
    if (gtin) return !ownsGtin(registry, event.party, gtin);
    // An SSCC is an extension digit, then the company prefix and a serial reference.
    const sscc = SSCC.exec(item)?.[1];
    return !(sscc && prefixes.some((p) => sscc.slice(1).startsWith(p)));
  });
}
