import { describe, expect, it } from 'vitest';
import {
  type CustodyEvent,
  keySubject,
  linkSubjects,
  partySubject,
  registrySubjects,
  signerSubjects,
} from '../src/index.ts';
import { GLN, header, KEYS, SGTIN, SSCC1, sampleEvents } from './fixtures.ts';

const party = (gln: string) => `rxledger:party:${gln}`;
const key = (keyId: string) => `rxledger:key:${keyId}`;

describe('registrySubjects (what registry leaves hash-link, LedgerEntry v2)', () => {
  it('names the party of every change and the key of AddKey and RevokeKey, in first-occurrence order', () => {
    const [genesis, changes] = sampleEvents().filter((e) => e.type === 'REGISTRY');
    expect(registrySubjects(genesis!)).toEqual([
      party(GLN.authority),
      key(KEYS.authority.keyId),
      party(GLN.manufacturer),
      key(KEYS.manufacturer.keyId),
      party(GLN.distributor),
      key(KEYS.distributor.keyId),
      party(GLN.pharmacy),
      key(KEYS.pharmacy.keyId),
    ]);
    // SetRoles, SetCompanyPrefixes, RevokeKey: the revoked key's party before the key.
    expect(registrySubjects(changes!)).toEqual([
      party(GLN.pharmacy),
      party(GLN.manufacturer),
      party(GLN.distributor),
      key(KEYS.distributor.keyId),
    ]);
  });

  it('names each subject once, however many changes touch it', () => {
    const event: CustodyEvent = {
      ...header(GLN.authority, GLN.authority, 20),
      type: 'REGISTRY',
      changes: [
        { kind: 'SetRoles', gln: GLN.distributor, roles: ['DISTRIBUTOR'] },
        {
          kind: 'AddKey',
          gln: GLN.distributor,
          keyId: KEYS.pharmacy.keyId,
          publicKey: KEYS.pharmacy.verifyingKey.bytes,
          validFrom: 0,
        },
        { kind: 'RevokeKey', gln: GLN.distributor, keyId: KEYS.pharmacy.keyId, revokedAt: 1, reason: 'x' },
        { kind: 'SetCompanyPrefixes', gln: GLN.distributor, companyPrefixes: [] },
      ],
    };
    expect(registrySubjects(event)).toEqual([party(GLN.distributor), key(KEYS.pharmacy.keyId)]);
  });

  it('names nothing for custody events: they never extend the registry chains', () => {
    for (const e of sampleEvents().filter((x) => x.type !== 'REGISTRY')) {
      expect(registrySubjects(e), e.type).toEqual([]);
    }
  });

  it('links v2 leaves by the named items, then the registry subjects; v1 leaves by the items only', () => {
    const [commission] = sampleEvents();
    expect(linkSubjects(commission!)).toEqual([SGTIN('SN0001'), SGTIN('SN0002'), SSCC1]);
    const changes = sampleEvents().at(-1)!;
    expect(linkSubjects(changes)).toEqual(registrySubjects(changes));
    expect(linkSubjects(changes, 1)).toEqual([]);
  });

  it('gives a signer the subjects party, then key', () => {
    expect(signerSubjects(GLN.manufacturer, KEYS.manufacturer.keyId)).toEqual([
      'rxledger:party:4012345000009',
      `rxledger:key:${KEYS.manufacturer.keyId}`,
    ]);
    expect(partySubject('1')).toBe('rxledger:party:1');
    expect(keySubject('ab')).toBe('rxledger:key:ab');
  });
});
