import { SigningKey } from '@rxledger/events';
import { describe, expect, it } from 'vitest';
import {
  addKeyChanges,
  addPartyChanges,
  revokeKeyChanges,
  rotateKeyChanges,
  setRolesChanges,
} from '../src/cli/registry/registry-changes.ts';
import type { RegistryAnswer } from '../src/cli/registry/registry-client.ts';

const GLN = '0614141000005';
const NOW = Date.UTC(2026, 0, 15, 10);
const old = SigningKey.generate().verifyingKey;
const fresh = SigningKey.generate().verifyingKey;
const registry: RegistryAnswer = {
  authorityKey: 'x',
  parties: [
    {
      gln: GLN,
      name: 'Acme',
      roles: ['MANUFACTURER'],
      companyPrefixes: ['0614141'],
      keys: [{ keyId: old.keyId, publicKey: old.toBase64(), validFrom: '2026-01-01T00:00:00Z' }],
    },
  ],
};

describe('registry change flags', () => {
  it('turns valid flags into the changes they stand for', () => {
    expect(
      addPartyChanges(
        { gln: GLN, name: 'Acme', role: ['MANUFACTURER'], 'company-prefix': ['0614141'] },
        fresh,
        NOW,
      ),
    ).toEqual([
      { kind: 'AddParty', gln: GLN, name: 'Acme', roles: ['MANUFACTURER'], companyPrefixes: ['0614141'] },
      { kind: 'AddKey', gln: GLN, keyId: fresh.keyId, publicKey: fresh.bytes, validFrom: NOW },
    ]);
    expect(addKeyChanges({ gln: GLN, 'valid-from': '2026-01-15T11:00:00+01:00' }, fresh, 0)).toEqual([
      { kind: 'AddKey', gln: GLN, keyId: fresh.keyId, publicKey: fresh.bytes, validFrom: NOW },
    ]);
    expect(revokeKeyChanges({ 'key-id': old.keyId, reason: 'stolen' }, registry, NOW)).toEqual([
      { kind: 'RevokeKey', gln: GLN, keyId: old.keyId, revokedAt: NOW, reason: 'stolen' },
    ]);
  });

  it('rotates in two steps: the new key valid from the old one’s validFrom, then the old key revoked', () => {
    const rotation = rotateKeyChanges({ gln: GLN, 'old-key-id': old.keyId }, registry, fresh);
    // Valid from the old key's validFrom: a late upload dated before the rotation can be signed.
    expect(rotation.add).toEqual([
      {
        kind: 'AddKey',
        gln: GLN,
        keyId: fresh.keyId,
        publicKey: fresh.bytes,
        validFrom: Date.parse('2026-01-01T00:00:00Z'),
      },
    ]);
    expect(rotation.revoke(NOW)).toEqual([
      { kind: 'RevokeKey', gln: GLN, keyId: old.keyId, revokedAt: NOW, reason: 'rotated' },
    ]);
  });

  it.each([
    ['a missing --gln', () => setRolesChanges({ role: ['PHARMACY'] }), '--gln is required'],
    [
      'a wrong check digit',
      () => setRolesChanges({ gln: '0614141000006', role: ['PHARMACY'] }),
      '--gln "0614141000006" is not a GLN',
    ],
    ['no role', () => setRolesChanges({ gln: GLN, role: [] }), '--role is required'],
    ['an unknown role', () => setRolesChanges({ gln: GLN, role: ['BAKER'] }), '--role "BAKER" is not a role'],
    [
      'a role twice',
      () => setRolesChanges({ gln: GLN, role: ['PHARMACY', 'PHARMACY'] }),
      '--role PHARMACY is given twice',
    ],
    [
      'a short prefix',
      () => setRolesChanges({ gln: GLN, role: ['PHARMACY'], 'company-prefix': ['061'] }),
      '--company-prefix "061" must be 4 to 12 digits',
    ],
    [
      'no name',
      () => addPartyChanges({ gln: GLN, role: ['PHARMACY'] }, undefined, NOW),
      '--name is required',
    ],
    [
      'a zoneless time',
      () => addKeyChanges({ gln: GLN, 'valid-from': '2026-01-15T10:00:00' }, fresh, NOW),
      '--valid-from "2026-01-15T10:00:00": needs a zone offset',
    ],
    ['no key id', () => revokeKeyChanges({ reason: 'x' }, registry, NOW), '--key-id is required'],
    [
      'an unknown key',
      () => revokeKeyChanges({ 'key-id': fresh.keyId, reason: 'x' }, registry, NOW),
      `--key-id ${fresh.keyId} is not a key in the ledger's registry`,
    ],
    ['no reason', () => revokeKeyChanges({ 'key-id': old.keyId }, registry, NOW), '--reason is required'],
    [
      'another party key',
      () => rotateKeyChanges({ gln: '4001234000008', 'old-key-id': old.keyId }, registry, fresh),
      `--old-key-id ${old.keyId} belongs to ${GLN}, not 4001234000008`,
    ],
    [
      'the old key again',
      () => rotateKeyChanges({ gln: GLN, 'old-key-id': old.keyId }, registry, old),
      '--new-key-file holds the old key itself',
    ],
  ])('refuses %s, naming the flag', (_, call, message) => {
    expect(call).toThrow(message);
  });
});
