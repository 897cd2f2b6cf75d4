import { describe, expect, it } from 'vitest';
import {
  admitRecord,
  applyRegistryEvent,
  type CustodyEvent,
  createRegistry,
  encodeCustodyEvent,
  encodeSignedEvent,
  decodeSignedEvent,
  MAX_RECORD_BYTES,
  nobleEd25519,
  nodeEd25519,
  type RegistryState,
  readEventContent,
  type SigningKey,
  signEvent,
} from '../src/index.ts';
import { GLN, genesisEvent, header, KEYS, SGTIN, T0 } from './fixtures.ts';

const sign = (event: CustodyEvent, key: SigningKey) =>
  encodeSignedEvent(signEvent(nodeEd25519, key, encodeCustodyEvent(event)));

function started(): RegistryState {
  const applied = applyRegistryEvent(
    createRegistry(KEYS.authority.verifyingKey),
    genesisEvent(),
    KEYS.authority.keyId,
  );
  if (!applied.ok) throw new Error(applied.message);
  return applied.state;
}

const ship = (eventTime: number, eventId = 'ship-1'): CustodyEvent => ({
  ...header(GLN.manufacturer, GLN.plant),
  eventId,
  eventTime,
  type: 'SHIP',
  items: [SGTIN('SN1')],
  to: GLN.distributor,
});
const at = T0 + 3_600_000;

describe('admitRecord: the one admission rule', () => {
  it('admits a valid record with either Ed25519 implementation', () => {
    for (const ed of [nodeEd25519, nobleEd25519]) {
      const r = admitRecord(sign(ship(at), KEYS.manufacturer), { registry: started(), ed, appendedAt: at });
      expect(r.ok, ed.name).toBe(true);
    }
  });

  it('never throws: an unexpected failure inside the check is a rejection, so no fold can stall on it', () => {
    const hostile = {
      ...started(),
      keys: {
        get: () => {
          throw new RangeError('boom');
        },
      },
    } as unknown as RegistryState;
    const r = admitRecord(sign(ship(at), KEYS.manufacturer), {
      registry: hostile,
      ed: nodeEd25519,
      appendedAt: at,
    });
    expect(r).toMatchObject({ ok: false, code: 'UNPROCESSABLE', message: expect.stringContaining('boom') });
  });

  it('refuses values past the record bound before decoding them', () => {
    const r = admitRecord(new Uint8Array(MAX_RECORD_BYTES + 1), { registry: started(), ed: nodeEd25519 });
    expect(r).toMatchObject({ ok: false, code: 'TOO_LARGE' });
  });

  it.each([
    ['EVENT_TIME_BEFORE_FLOOR', Date.UTC(1999, 11, 31, 23, 59, 59, 999)],
    ['EVENT_TIME_BEFORE_FLOOR', new Date('0001-01-01T00:00:00Z').getTime()],
    ['FUTURE_EVENT_TIME', at + 5 * 60_000 + 1],
    ['FUTURE_EVENT_TIME', 8.64e15 + 1],
    ['EVENT_TIME_TOO_OLD', at - 7 * 86_400_000 - 1],
  ])('%s for eventTime %d, with a message that renders the time', (code, eventTime) => {
    const registry = started();
    const r = admitRecord(sign(ship(eventTime), KEYS.manufacturer), {
      registry,
      ed: nodeEd25519,
      appendedAt: at,
    });
    expect(r).toMatchObject({ ok: false, code, attribution: { party: GLN.manufacturer, eventId: 'ship-1' } });
  });

  it('takes a shorter lateness window when configured', () => {
    const r = admitRecord(sign(ship(at - 3_600_001), KEYS.manufacturer), {
      registry: started(),
      ed: nodeEd25519,
      appendedAt: at,
      latenessMs: 3_600_000,
    });
    expect(r).toMatchObject({ ok: false, code: 'EVENT_TIME_TOO_OLD' });
  });

  it('judges revocation by log position: after a RevokeKey, even a backdated record is refused', () => {
    const before = started();
    const revoke = applyRegistryEvent(
      before,
      {
        ...header(GLN.authority, GLN.authority, 20),
        type: 'REGISTRY',
        changes: [
          {
            kind: 'RevokeKey',
            gln: GLN.manufacturer,
            keyId: KEYS.manufacturer.keyId,
            revokedAt: at,
            reason: 'stolen',
          },
        ],
      },
      KEYS.authority.keyId,
    );
    if (!revoke.ok) throw new Error(revoke.message);
    const backdated = sign(ship(T0), KEYS.manufacturer);
    expect(admitRecord(backdated, { registry: before, ed: nodeEd25519, appendedAt: at }).ok).toBe(true);
    expect(admitRecord(backdated, { registry: revoke.state, ed: nodeEd25519, appendedAt: at })).toMatchObject(
      {
        ok: false,
        code: 'KEY_REVOKED',
      },
    );
  });

  it('attributes a rejection to its signer only once the signature verified', () => {
    const registry = started();
    const forged = new Uint8Array(sign(ship(at), KEYS.manufacturer));
    forged[forged.length - 3]! ^= 1;
    const wrongParty = sign({ ...ship(at), party: GLN.distributor }, KEYS.manufacturer);
    const badItem = sign(
      { ...ship(at), items: ['https://id.gs1.org/01/04012345123457/21/X'] } as CustodyEvent,
      KEYS.manufacturer,
    );
    const ctx = { registry, ed: nodeEd25519, appendedAt: at };
    expect(admitRecord(forged, ctx)).toEqual({
      ok: false,
      code: 'BAD_SIGNATURE',
      message: expect.any(String),
    });
    expect(admitRecord(wrongParty, ctx)).toEqual({
      ok: false,
      code: 'KEY_PARTY_MISMATCH',
      message: expect.any(String),
    });
    expect(admitRecord(badItem, ctx)).toMatchObject({
      code: 'INVALID_EVENT',
      attribution: { party: GLN.manufacturer, keyId: KEYS.manufacturer.keyId, eventType: 'SHIP' },
    });
  });

  it('judges alike whether the caller hands in the event content worked out ahead or not', () => {
    const registry = started();
    const forged = new Uint8Array(sign(ship(at), KEYS.manufacturer));
    forged[forged.length - 3]! ^= 1;
    const records = [
      sign(ship(at), KEYS.manufacturer),
      forged,
      sign(ship(at - 8 * 86_400_000), KEYS.manufacturer),
      sign(
        { ...ship(at), items: ['https://id.gs1.org/01/04012345123457/21/X'] } as CustodyEvent,
        KEYS.manufacturer,
      ),
      sign({ ...ship(at), items: [SGTIN('SN1'), SGTIN('SN1')] } as CustodyEvent, KEYS.manufacturer),
      encodeSignedEvent({
        ...decodeSignedEvent(sign(ship(at), KEYS.manufacturer)),
        event: new Uint8Array([0xc3, 1, 2]),
      }),
    ];
    const codes = records.map((value) => {
      const ctx = { registry, ed: nodeEd25519, appendedAt: at };
      const alone = admitRecord(value, ctx);
      const signed = decodeSignedEvent(value);
      expect(admitRecord(value, { ...ctx, signed, content: readEventContent(signed) })).toEqual(alone);
      return alone.ok ? 'ok' : alone.code;
    });
    expect(codes).toEqual([
      'ok',
      'BAD_SIGNATURE',
      'EVENT_TIME_TOO_OLD',
      'INVALID_EVENT',
      'INVALID_EVENT',
      'UNDECODABLE',
    ]);
  });
});
