import { describe, expect, it } from 'vitest';
import { applyRegistryEvent, createRegistry, genesisEvent, maySign, SigningKey } from '../src/index.ts';

describe('genesisEvent', () => {
  const authority = SigningKey.generate();
  const maker = SigningKey.generate();
  const t = Date.UTC(2026, 0, 1);
  const genesis = genesisEvent({
    authority: { gln: '9000000000018', name: 'Authority', key: authority.verifyingKey },
    parties: [
      {
        gln: '0614141000005',
        name: 'Acme',
        roles: ['MANUFACTURER'],
        companyPrefixes: ['0614141'],
        keys: [maker.verifyingKey],
      },
    ],
    eventTime: t,
  });

  it('starts a registry when signed by the trust anchor, with every party key valid from eventTime', () => {
    const applied = applyRegistryEvent(createRegistry(authority.verifyingKey), genesis, authority.keyId);
    expect(applied.ok).toBe(true);
    if (!applied.ok) return;
    expect(applied.state.started).toBe(true);
    expect(
      maySign(applied.state, { keyId: maker.keyId, type: 'COMMISSION', time: t, party: '0614141000005' }),
    ).toEqual({
      ok: true,
    });
    expect(
      maySign(applied.state, { keyId: maker.keyId, type: 'COMMISSION', time: t - 1, party: '0614141000005' }),
    ).toMatchObject({
      ok: false,
      code: 'KEY_NOT_YET_VALID',
    });
  });

  it('is refused when signed by any other key', () => {
    const applied = applyRegistryEvent(createRegistry(authority.verifyingKey), genesis, maker.keyId);
    expect(applied).toMatchObject({ ok: false, code: 'GENESIS_NOT_BY_ANCHOR' });
  });
});
