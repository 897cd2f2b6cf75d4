import { describe, expect, it } from 'vitest';
import {
  applyRegistryEvent,
  type CustodyEvent,
  createRegistry,
  type EventType,
  maySign,
  ownsGtin,
  type RegistryChange,
  type RegistryResult,
  type RegistryState,
  type SigningKey,
} from '../src/index.ts';
import { GLN, GTIN, genesisEvent, header, KEYS, keyFromByte, T0 } from './fixtures.ts';

const anchor = KEYS.authority.verifyingKey;
const registryEvent = (changes: RegistryChange[], n = 20): CustodyEvent => ({
  ...header(GLN.authority, GLN.authority, n),
  type: 'REGISTRY',
  changes,
});

function ok(result: RegistryResult): RegistryState {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.state;
}

const started = () => ok(applyRegistryEvent(createRegistry(anchor), genesisEvent(), anchor.keyId));
const rejection = (result: RegistryResult) => (result.ok ? 'ok' : result.code);
const addKey = (gln: string, key: SigningKey, validFrom = T0): RegistryChange => ({
  kind: 'AddKey',
  gln,
  keyId: key.keyId,
  publicKey: key.verifyingKey.bytes,
  validFrom,
});

describe('genesis', () => {
  it('registers the authority and the initial parties, signed by the trust anchor', () => {
    const state = started();
    expect(state.started).toBe(true);
    expect([...state.parties.keys()]).toEqual([
      GLN.authority,
      GLN.manufacturer,
      GLN.distributor,
      GLN.pharmacy,
    ]);
    expect(state.keys.get(anchor.keyId)).toMatchObject({ gln: GLN.authority });
  });

  it('signed by any other key → GENESIS_NOT_BY_ANCHOR', () => {
    expect(
      rejection(applyRegistryEvent(createRegistry(anchor), genesisEvent(), KEYS.manufacturer.keyId)),
    ).toBe('GENESIS_NOT_BY_ANCHOR');
  });

  it('that does not register its own signer as an authority key → GENESIS_INCOMPLETE', () => {
    const changes = genesisEvent().changes.filter((c) => !(c.kind === 'AddKey' && c.keyId === anchor.keyId));
    const e = { ...genesisEvent(), changes } as CustodyEvent;
    expect(rejection(applyRegistryEvent(createRegistry(anchor), e, anchor.keyId))).toBe('GENESIS_INCOMPLETE');
    const noAuthorityRole = genesisEvent().changes.map((c) =>
      c.kind === 'AddParty' && c.gln === GLN.authority ? { ...c, roles: ['REGULATOR' as const] } : c,
    );
    const e2 = { ...genesisEvent(), changes: noAuthorityRole } as CustodyEvent;
    expect(rejection(applyRegistryEvent(createRegistry(anchor), e2, anchor.keyId))).toBe(
      'GENESIS_INCOMPLETE',
    );
  });
});

describe('applyRegistryEvent after genesis', () => {
  it('is pure: the old state is untouched', () => {
    const before = started();
    const newKey = keyFromByte(9);
    const after = ok(applyRegistryEvent(before, registryEvent([addKey(GLN.pharmacy, newKey)]), anchor.keyId));
    expect(after.keys.has(newKey.keyId)).toBe(true);
    expect(before.keys.has(newKey.keyId)).toBe(false);
  });

  it('is all or nothing: a bad later change leaves no trace of earlier ones', () => {
    const before = started();
    const e = registryEvent([
      { kind: 'AddParty', gln: '4000000000006', name: 'New Co', roles: ['DISTRIBUTOR'], companyPrefixes: [] },
      { kind: 'SetRoles', gln: '9999999999994', roles: ['PHARMACY'] },
    ]);
    const result = applyRegistryEvent(before, e, anchor.keyId);
    expect(result).toMatchObject({ ok: false, code: 'UNKNOWN_PARTY', change: 1 });
    expect(before.parties.has('4000000000006')).toBe(false);
  });

  const cases: [string, string, RegistryChange[], string?, string?][] = [
    [
      'only the authority may sign REGISTRY events',
      'ROLE_NOT_ENTITLED',
      [{ kind: 'SetRoles', gln: GLN.pharmacy, roles: [] }],
      KEYS.manufacturer.keyId,
      GLN.manufacturer,
    ],
    [
      'signer key of another party',
      'KEY_PARTY_MISMATCH',
      [{ kind: 'SetRoles', gln: GLN.pharmacy, roles: [] }],
      KEYS.manufacturer.keyId,
    ],
    [
      'signer key unknown',
      'UNKNOWN_KEY',
      [{ kind: 'SetRoles', gln: GLN.pharmacy, roles: [] }],
      'ffffffffffffffff',
    ],
    ['no changes', 'NO_CHANGES', []],
    [
      'SetRoles of an unknown GLN',
      'UNKNOWN_PARTY',
      [{ kind: 'SetRoles', gln: '4000000000006', roles: ['PHARMACY'] }],
    ],
    [
      'AddParty of a registered GLN',
      'DUPLICATE_PARTY',
      [{ kind: 'AddParty', gln: GLN.pharmacy, name: 'x', roles: [], companyPrefixes: [] }],
    ],
    [
      'a role listed twice',
      'DUPLICATE_ROLE',
      [{ kind: 'SetRoles', gln: GLN.pharmacy, roles: ['PHARMACY', 'PHARMACY'] }],
    ],
    [
      'a company prefix that is not 4..12 digits',
      'INVALID_COMPANY_PREFIX',
      [{ kind: 'SetCompanyPrefixes', gln: GLN.manufacturer, companyPrefixes: ['12a4'] }],
    ],
    [
      'a company prefix another party owns',
      'COMPANY_PREFIX_TAKEN',
      [{ kind: 'SetCompanyPrefixes', gln: GLN.distributor, companyPrefixes: ['40123'] }],
    ],
    ['a duplicate key id', 'DUPLICATE_KEY', [addKey(GLN.pharmacy, KEYS.pharmacy)]],
    [
      "a key id that is not the public key's",
      'KEY_ID_MISMATCH',
      [{ ...addKey(GLN.pharmacy, keyFromByte(9)), keyId: '0000000000000000' } as RegistryChange],
    ],
    [
      'a small-order public key',
      'INVALID_PUBLIC_KEY',
      [
        {
          kind: 'AddKey',
          gln: GLN.pharmacy,
          keyId: 'x',
          publicKey: Uint8Array.of(1, ...new Uint8Array(31)),
          validFrom: 0,
        },
      ],
    ],
    ['AddKey for an unknown GLN', 'UNKNOWN_PARTY', [addKey('4000000000006', keyFromByte(9))]],
    [
      'revoking an unknown key',
      'UNKNOWN_KEY',
      [{ kind: 'RevokeKey', gln: GLN.pharmacy, keyId: 'ffffffffffffffff', revokedAt: T0, reason: 'x' }],
    ],
    [
      "revoking another party's key",
      'KEY_PARTY_MISMATCH',
      [{ kind: 'RevokeKey', gln: GLN.pharmacy, keyId: KEYS.distributor.keyId, revokedAt: T0, reason: 'x' }],
    ],
    [
      'revoking a key twice',
      'KEY_ALREADY_REVOKED',
      [
        { kind: 'RevokeKey', gln: GLN.pharmacy, keyId: KEYS.pharmacy.keyId, revokedAt: T0, reason: 'x' },
        { kind: 'RevokeKey', gln: GLN.pharmacy, keyId: KEYS.pharmacy.keyId, revokedAt: T0 + 1, reason: 'y' },
      ],
    ],
    [
      'revoking the last authority key',
      'NO_AUTHORITY_LEFT',
      [{ kind: 'RevokeKey', gln: GLN.authority, keyId: anchor.keyId, revokedAt: T0, reason: 'oops' }],
    ],
    [
      'dropping the last AUTHORITY role',
      'NO_AUTHORITY_LEFT',
      [{ kind: 'SetRoles', gln: GLN.authority, roles: ['REGULATOR'] }],
    ],
  ];
  it.each(cases)('%s → %s', (_what, code, changes, signer = anchor.keyId, party = GLN.authority) => {
    const e = { ...registryEvent(changes), party };
    expect(rejection(applyRegistryEvent(started(), e, signer))).toBe(code);
  });

  it('a non-REGISTRY event → NOT_A_REGISTRY_EVENT', () => {
    const e: CustodyEvent = { ...header(GLN.authority, GLN.authority), type: 'DISPENSE', items: [] };
    expect(rejection(applyRegistryEvent(started(), e, anchor.keyId))).toBe('NOT_A_REGISTRY_EVENT');
  });

  it('lets the authority rotate its own key', () => {
    const next = keyFromByte(10);
    let state = ok(
      applyRegistryEvent(started(), registryEvent([addKey(GLN.authority, next, T0)]), anchor.keyId),
    );
    const revoke: RegistryChange = {
      kind: 'RevokeKey',
      gln: GLN.authority,
      keyId: anchor.keyId,
      revokedAt: T0 + 50_000,
      reason: 'rotation',
    };
    state = ok(applyRegistryEvent(state, registryEvent([revoke], 30), next.keyId));
    // The old key can no longer sign registry events after its revocation time.
    expect(
      rejection(
        applyRegistryEvent(
          state,
          registryEvent([{ kind: 'SetRoles', gln: GLN.pharmacy, roles: ['PHARMACY'] }], 60),
          anchor.keyId,
        ),
      ),
    ).toBe('KEY_REVOKED');
  });
});

describe('maySign', () => {
  const state = () => {
    const revoke: RegistryChange = {
      kind: 'RevokeKey',
      gln: GLN.distributor,
      keyId: KEYS.distributor.keyId,
      revokedAt: T0 + 10_000,
      reason: 'lost',
    };
    return ok(applyRegistryEvent(started(), registryEvent([revoke]), anchor.keyId));
  };
  const ask = (keyId: string, type: EventType, party: string, time = T0) =>
    maySign(state(), { keyId, type, time, party });

  it('allows entitled, valid keys', () => {
    expect(ask(KEYS.manufacturer.keyId, 'COMMISSION', GLN.manufacturer)).toEqual({ ok: true });
    expect(ask(KEYS.manufacturer.keyId, 'RECEIVE', GLN.manufacturer)).toEqual({ ok: true });
    expect(ask(KEYS.pharmacy.keyId, 'DISPENSE', GLN.pharmacy)).toEqual({ ok: true });
  });

  it.each([
    ['UNKNOWN_KEY', 'ffffffffffffffff', 'SHIP', GLN.distributor, T0],
    ['KEY_NOT_YET_VALID', KEYS.pharmacy.keyId, 'DISPENSE', GLN.pharmacy, T0 - 86_400_001],
    ['KEY_REVOKED', KEYS.distributor.keyId, 'SHIP', GLN.distributor, T0 + 10_000],
    ['KEY_PARTY_MISMATCH', KEYS.distributor.keyId, 'SHIP', GLN.pharmacy, T0],
    ['ROLE_NOT_ENTITLED', KEYS.manufacturer.keyId, 'DISPENSE', GLN.manufacturer, T0],
    ['ROLE_NOT_ENTITLED', KEYS.pharmacy.keyId, 'COMMISSION', GLN.pharmacy, T0],
    ['ROLE_NOT_ENTITLED', KEYS.manufacturer.keyId, 'REGISTRY', GLN.manufacturer, T0],
  ] as const)('%s', (code, keyId, type, party, time) => {
    const r = ask(keyId, type, party, time);
    expect(r).toMatchObject({ ok: false, code });
    expect(r.ok === false && r.message.length > 10).toBe(true);
  });

  it('a revoked key signs nothing from then on, whatever eventTime it claims (finding 3: no backdating)', () => {
    for (const time of [T0 - 86_400_000, T0, T0 + 5_000, T0 + 10_000]) {
      expect(ask(KEYS.distributor.keyId, 'SHIP', GLN.distributor, time)).toMatchObject({
        code: 'KEY_REVOKED',
      });
    }
  });
});

describe('ownsGtin', () => {
  it('a manufacturer owns GTINs whose digits after the indicator start with its company prefix', () => {
    const s = started();
    expect(ownsGtin(s, GLN.manufacturer, GTIN)).toBe(true);
    expect(ownsGtin(s, GLN.manufacturer, `1${GTIN.slice(1)}`)).toBe(true);
    expect(ownsGtin(s, GLN.manufacturer, '04099999000000')).toBe(false);
    // The prefix must match after the indicator, not including it.
    expect(ownsGtin(s, GLN.manufacturer, '40123450000000')).toBe(false);
  });

  it('nobody else owns them', () => {
    const s = started();
    expect(ownsGtin(s, GLN.distributor, GTIN)).toBe(false);
    expect(ownsGtin(s, '4000000000006', GTIN)).toBe(false);
  });
});
