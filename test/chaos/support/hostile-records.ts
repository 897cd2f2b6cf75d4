// Raw records for the custody topic, built the way a partner service builds them
// (shared/gateway/src/sign-batch.ts: encode, sign with the context prefix, wrap) and then broken on
// purpose: bytes that are not Avro, envelopes that lie, signatures that do not verify, events that
// break a rule. Everything is made at send time, so times are relative to the broker's clock then.
import {
  type CustodyEvent,
  encodeCustodyEvent,
  encodeLedgerEntry,
  encodeSignedEvent,
  nodeEd25519,
  type SignedEvent,
  SigningKey,
  signEvent,
} from '@rxledger/events';
import { pack } from './hostile-items.ts';
import { PARTY } from './hostile-system.ts';

/** What a topic row may use to build its record: the parties' keys and the revoked key of the run. */
export interface World {
  keys: Record<string, SigningKey>;
  /** A distributor key added, then revoked, by the authority during setup. */
  revoked: { key: SigningKey; revokedAt: number };
}

let n = 0;
/** An id no other record of the run uses. */
export const uniqueId = (tag = 'r') => `${tag}-${Date.now().toString(36)}-${++n}`;

/** A valid COMMISSION by the maker of one fresh pack, a second ago, with `fields` laid over it. */
export function makerEvent(fields: Partial<Record<string, unknown>> = {}): CustodyEvent {
  return {
    eventId: uniqueId('m'),
    eventTime: Date.now() - 1_000,
    eventTimeOffsetMinutes: 0,
    party: PARTY.maker,
    site: PARTY.makerSite,
    type: 'COMMISSION',
    items: [
      pack.uri(
        uniqueId('P')
          .replace(/[^A-Za-z0-9]/g, '')
          .slice(-18),
      ),
    ],
    lot: 'L1',
    expiry: '281231',
    ...fields,
  } as CustodyEvent;
}

/** An event of `party` with the header filled in; the body is the caller's. */
export function partyEvent(party: string, site: string, body: Record<string, unknown>): CustodyEvent {
  return {
    eventId: uniqueId('p'),
    eventTime: Date.now() - 1_000,
    eventTimeOffsetMinutes: 0,
    party,
    site,
    ...body,
  } as CustodyEvent;
}

/** The signed envelope of `event` under `key` (default: the key of the event's party). */
export function signed(w: World, event: CustodyEvent, key?: SigningKey): SignedEvent {
  return signEvent(nodeEd25519, key ?? w.keys[event.party]!, encodeCustodyEvent(event));
}

/** The Kafka value of `event` signed by `key` (default: the key of the event's party). */
export function record(w: World, event: CustodyEvent, key?: SigningKey): Uint8Array {
  return encodeSignedEvent(signed(w, event, key));
}

/** Avro zig-zag varint of an integer (safe range). */
export function varint(value: number): Uint8Array {
  let z = value >= 0 ? value * 2 : -value * 2 - 1;
  const out: number[] = [];
  while (z >= 128) {
    out.push((z % 128) | 0x80);
    z = Math.floor(z / 128);
  }
  out.push(z);
  return Uint8Array.from(out);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
/** An Avro string or bytes value: its length, then its bytes. */
export const avroBytes = (b: Uint8Array) => concat(varint(b.length), b);
export const avroString = (s: string) => avroBytes(utf8(s));

const sample = makerEvent({ eventId: 'sample' });
/** The 10-byte single-object headers (marker + fingerprint) of each record type. */
export const HEADER = {
  custodyEvent: encodeCustodyEvent(sample).slice(0, 10),
  signedEvent: encodeSignedEvent({
    event: new Uint8Array(1),
    keyId: 'k',
    signature: new Uint8Array(64),
  }).slice(0, 10),
  ledgerEntry: encodeLedgerEntry({ seq: 0, signedEvent: new Uint8Array(1), links: [] }).slice(0, 10),
};

/** A SignedEvent written by hand, so that its fields may be anything at all. */
export function rawSigned(event: Uint8Array, keyId: string, signature: Uint8Array): Uint8Array {
  return concat(HEADER.signedEvent, avroBytes(event), avroString(keyId), avroBytes(signature));
}

/** A CustodyEvent header written by hand (eventId, time, offset, party, site), for hand-made bodies. */
export function rawEventHead(eventId: string, party = PARTY.maker, site = PARTY.makerSite): Uint8Array {
  return concat(
    HEADER.custodyEvent,
    avroString(eventId),
    varint(Date.now() - 1_000),
    varint(0),
    avroString(party),
    avroString(site),
  );
}

/** `bytes` validly signed by `key` as if they were an encoded custody event. */
export function signBytes(key: SigningKey, bytes: Uint8Array): Uint8Array {
  return encodeSignedEvent(signEvent(nodeEd25519, key, bytes));
}

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
/** The same signature with S replaced by S + L: a second encoding strict RFC 8032 refuses. */
export function malleated(signature: Uint8Array): Uint8Array {
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i]!);
  s += L;
  const out = new Uint8Array(signature);
  for (let i = 32; i < 64; i++) {
    out[i] = Number(s & 0xffn);
    s >>= 8n;
  }
  return out;
}

/** Avro zig-zag varint of any 64-bit integer (avsc cannot write longs beyond 2^53 exactly). */
export function varint64(value: bigint): Uint8Array {
  let z = value >= 0n ? value << 1n : (-value << 1n) - 1n;
  const out: number[] = [];
  while (z >= 128n) {
    out.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  out.push(Number(z));
  return Uint8Array.from(out);
}

/** The record of `event` with its eventTime written as exactly `time`, signed by the event's party. */
export function recordAt(w: World, event: CustodyEvent, time: bigint): Uint8Array {
  const bytes = encodeCustodyEvent({ ...event, eventTime: 0 });
  // After the 10-byte header: eventId (a varint length, then its bytes), then eventTime, here 0x00.
  const idLength = event.eventId.length; // ASCII ids: the length varint is one byte below 64
  if (idLength >= 64) throw new Error('recordAt takes eventIds shorter than 64 characters');
  const at = 10 + 1 + idLength;
  const spliced = concat(bytes.subarray(0, at), varint64(time), bytes.subarray(at + 1));
  return encodeSignedEvent(signEvent(nodeEd25519, w.keys[event.party]!, spliced));
}

/** A fresh key no registry knows. */
export const strangerKey = () => SigningKey.generate();
