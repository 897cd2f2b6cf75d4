import { readFileSync } from 'node:fs';
import {
  decodeCustodyEvent,
  decodeSignedEvent,
  encodeCustodyEvent,
  nobleEd25519,
  nodeEd25519,
  RECORD_NAMES,
  rxledgerSchemas,
  VerifyingKey,
  verifyEventSignature,
} from '@rxledger/events';
import { fromHex, toHex } from '@rxledger/tlog';
import { describe, expect, it } from 'vitest';
import { buildCustodyV2Vectors, type CustodyV2Vectors } from './build-custody-v2-vectors.ts';
import { eventAsData, type WireVectors } from './build-wire-vectors.ts';

const read = <T>(file: string) => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as T;
const frozen = read<CustodyV2Vectors>('./custody-v2.json');
const wire = read<WireVectors>('./wire.json');
const fingerprintOf = (bytes: Uint8Array) => toHex(bytes.slice(2, 10).reverse());

describe('golden CustodyEvent v2 vectors (DESIGN §4)', () => {
  it('pin the v2 schema fingerprint, event bytes, signatures and records byte for byte', () => {
    expect(buildCustodyV2Vectors()).toEqual(frozen);
  });

  it('the frozen records decode to their events and verify with wire.json keys under both Ed25519s', () => {
    for (const e of frozen.events) {
      const signed = decodeSignedEvent(fromHex(e.signedEvent));
      expect(toHex(signed.event), e.name).toBe(e.eventBytes);
      expect(eventAsData(decodeCustodyEvent(signed.event)), e.name).toEqual(e.event);
      const key = VerifyingKey.fromBytes(fromHex(wire.keys[e.signer]!.publicKey));
      expect(verifyEventSignature(nobleEd25519, signed, key), e.name).toEqual({ ok: true });
      expect(verifyEventSignature(nodeEd25519, signed, key), e.name).toEqual({ ok: true });
      expect(fingerprintOf(fromHex(e.eventBytes)), e.name).toBe(frozen.fingerprint);
    }
  });

  it('events version 1 can express are still written as version 1, byte for byte as wire.json froze them', () => {
    const v1 = rxledgerSchemas.get(RECORD_NAMES.custodyEvent)!.fingerprint;
    for (const e of wire.events) {
      const event = decodeCustodyEvent(fromHex(e.eventBytes));
      const bytes = encodeCustodyEvent(event);
      expect(fingerprintOf(bytes), e.name).toBe(v1);
      expect(toHex(bytes), e.name).toBe(e.eventBytes);
    }
  });

  it('a version 1 body written under the v2 schema reads as the same event', () => {
    const ship = decodeCustodyEvent(fromHex(wire.events.find((e) => e.name.startsWith('ship'))!.eventBytes));
    if (ship.type !== 'SHIP') throw new Error('wire.json has no SHIP');
    const { type: _type, ...header } = ship;
    const v2 = rxledgerSchemas.encode(RECORD_NAMES.custodyEventV2, {
      eventId: header.eventId,
      eventTime: header.eventTime,
      eventTimeOffsetMinutes: header.eventTimeOffsetMinutes,
      party: header.party,
      site: header.site,
      body: { 'rxledger.v2.Ship': { items: ship.items, to: ship.to } },
    });
    expect(fingerprintOf(v2)).toBe(frozen.fingerprint);
    expect(decodeCustodyEvent(v2)).toEqual(ship);
  });

  it('a CustodyEvent decoder refuses a record of another type, naming both versions it takes', () => {
    expect(() => decodeCustodyEvent(fromHex(wire.events[0]!.signedEvent))).toThrow(
      /expected a rxledger.v1.CustodyEvent or rxledger.v2.CustodyEvent record, found rxledger.v1.SignedEvent/,
    );
  });
});
