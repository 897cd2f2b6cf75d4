import { formatRfc3339, type RegistryState } from '@rxledger/events';

/** One party of GET /v1/registry, with every key it has held. */
export interface RegistryParty {
  gln: string;
  name: string;
  roles: readonly string[];
  companyPrefixes: readonly string[];
  keys: Array<{
    keyId: string;
    /** Raw Ed25519 public key, standard base64. */
    publicKey: string;
    validFrom: string;
    revokedAt?: string;
    revocationReason?: string;
  }>;
}

/**
 * The participant registry as folded (GET /v1/registry): who takes part, in which roles, and with which
 * keys, each with its validity. Public keys only; a verifier still takes the registry from the signed
 * REGISTRY leaves of a bundle, never from this answer.
 */
export function registryView(registry: RegistryState): { authorityKey: string; parties: RegistryParty[] } {
  const keysOf = new Map<string, RegistryParty['keys']>();
  for (const k of registry.keys.values()) {
    const key = {
      keyId: k.keyId,
      publicKey: k.publicKey.toBase64(),
      validFrom: formatRfc3339(k.validFrom, 0),
      ...(k.revokedAt === undefined ? {} : { revokedAt: formatRfc3339(k.revokedAt, 0) }),
      ...(k.revocationReason === undefined ? {} : { revocationReason: k.revocationReason }),
    };
    keysOf.set(k.gln, [...(keysOf.get(k.gln) ?? []), key]);
  }
  const parties = [...registry.parties.values()]
    .map((p) => ({
      gln: p.gln,
      name: p.name,
      roles: p.roles,
      companyPrefixes: p.companyPrefixes,
      keys: keysOf.get(p.gln) ?? [],
    }))
    .sort((a, b) => a.gln.localeCompare(b.gln));
  return { authorityKey: registry.anchor.toBase64(), parties };
}
