import { SigningKey } from '@rxledger/events';
import { describe, expect, it } from 'vitest';
import { chooseSigningKey, type RegisteredKeyView } from '../src/signing-key-choice.ts';

const current = SigningKey.generate();
const next = SigningKey.generate();
const NOW = Date.parse('2026-12-03T12:00:00Z');
const entry = (key: SigningKey, extra: Partial<RegisteredKeyView> = {}): RegisteredKeyView => ({
  keyId: key.keyId,
  validFrom: '2026-11-01T00:00:00Z',
  ...extra,
});
const pick = (registered: RegisteredKeyView[] | undefined, withNext = true) => {
  const c = chooseSigningKey({ current, next: withNext ? next : undefined }, registered, NOW);
  return { keyId: c.key.keyId, state: c.state };
};

describe('the key a hosted party signs with', () => {
  it('is the keyFile key while the registry is unknown, even with a next key configured', () => {
    expect(pick(undefined)).toEqual({ keyId: current.keyId, state: 'REGISTRY_UNKNOWN' });
  });

  it('stays the keyFile key until the registry holds the next key (a rotation not folded yet)', () => {
    expect(pick([entry(current)])).toEqual({ keyId: current.keyId, state: 'REGISTERED' });
  });

  it('is the next key once the registry holds it, valid and unrevoked, for the party', () => {
    expect(pick([entry(current), entry(next)])).toEqual({ keyId: next.keyId, state: 'REGISTERED' });
    expect(pick([entry(current, { revokedAt: '2026-12-03T11:00:00Z' }), entry(next)])).toEqual({
      keyId: next.keyId,
      state: 'REGISTERED',
    });
  });

  it('is not the next key while it is not yet valid, or once it is revoked', () => {
    expect(pick([entry(current), entry(next, { validFrom: '2026-12-04T00:00:00Z' })])).toEqual({
      keyId: current.keyId,
      state: 'REGISTERED',
    });
    expect(pick([entry(current), entry(next, { revokedAt: '2026-12-03T11:59:00Z' })])).toEqual({
      keyId: current.keyId,
      state: 'REGISTERED',
    });
  });

  it('stays with the next key once both are revoked: its revocation is the one to report', () => {
    const revokedAt = '2026-12-03T11:00:00Z';
    expect(pick([entry(current, { revokedAt }), entry(next, { revokedAt })])).toEqual({
      keyId: next.keyId,
      state: 'REVOKED',
    });
  });

  it('says when the key in use is revoked or unknown to the registry, and still names it', () => {
    // A revocation takes effect in log order: a revokedAt in the future is revoked all the same.
    expect(pick([entry(current, { revokedAt: '2027-01-01T00:00:00Z' })], false)).toEqual({
      keyId: current.keyId,
      state: 'REVOKED',
    });
    expect(pick([], false)).toEqual({ keyId: current.keyId, state: 'NOT_REGISTERED' });
    expect(pick([entry(current, { validFrom: '2027-01-01T00:00:00Z' })], false)).toEqual({
      keyId: current.keyId,
      state: 'NOT_YET_VALID',
    });
  });
});
