import type { CustodyEventOf, RegistryChange, Role } from './custody-event.ts';
import type { VerifyingKey } from './keys.ts';

/** A party the genesis record registers, with its keys. */
export interface GenesisParty {
  gln: string;
  name: string;
  roles: Role[];
  companyPrefixes?: string[];
  keys: VerifyingKey[];
}

/**
 * The registry's genesis record (leaf 0): the authority party with its own key, then the initial
 * parties and their keys, all valid from `keysValidFrom` (default `eventTime`; earlier lets late
 * uploads of events from before the genesis verify). The authority must sign it with `authority.key`.
 * @example genesisEvent({ authority: { gln, name, key: authorityKey.verifyingKey }, parties, eventTime: Date.now() })
 */
export function genesisEvent(opts: {
  authority: { gln: string; name: string; key: VerifyingKey };
  parties: GenesisParty[];
  eventTime: number;
  keysValidFrom?: number;
  eventId?: string;
}): CustodyEventOf<'REGISTRY'> {
  const { authority, eventTime } = opts;
  const validFrom = opts.keysValidFrom ?? eventTime;
  const changes: RegistryChange[] = [
    { kind: 'AddParty', gln: authority.gln, name: authority.name, roles: ['AUTHORITY'], companyPrefixes: [] },
    {
      kind: 'AddKey',
      gln: authority.gln,
      keyId: authority.key.keyId,
      publicKey: authority.key.bytes,
      validFrom,
    },
  ];
  for (const p of opts.parties) {
    changes.push({
      kind: 'AddParty',
      gln: p.gln,
      name: p.name,
      roles: p.roles,
      companyPrefixes: p.companyPrefixes ?? [],
    });
    for (const key of p.keys) {
      changes.push({
        kind: 'AddKey',
        gln: p.gln,
        keyId: key.keyId,
        publicKey: key.bytes,
        validFrom,
      });
    }
  }
  return {
    type: 'REGISTRY',
    eventId: opts.eventId ?? 'genesis',
    eventTime,
    eventTimeOffsetMinutes: 0,
    party: authority.gln,
    site: authority.gln,
    changes,
  };
}
