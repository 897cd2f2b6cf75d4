import { describe, expect, it } from 'vitest';
import {
  CodecError,
  type CodecErrorCode,
  decodeCustodyEvent,
  decodeLedgerEntry,
  decodeSignedEvent,
  encodeCustodyEvent,
  encodeLedgerEntry,
  encodeSignedEvent,
  RECORD_NAMES,
  rxledgerSchemas,
  SCHEMAS,
  SchemaSet,
  toHex,
} from '../src/index.ts';
import { GLN, header, SGTIN, sampleEvents } from './fixtures.ts';

function codeOf(fn: () => unknown): CodecErrorCode | string {
  try {
    fn();
  } catch (err) {
    if (err instanceof CodecError) return err.code;
    return `not a CodecError: ${String(err)}`;
  }
  return 'did not throw';
}

const event = sampleEvents()[0]!;
const encoded = encodeCustodyEvent(event);

describe('custody event codec', () => {
  it.each(sampleEvents().map((e) => [e.type === 'REGISTRY' ? `REGISTRY ${e.eventId}` : e.type, e] as const))(
    'round-trips %s',
    (_name, e) => {
      const bytes = encodeCustodyEvent(e);
      expect(decodeCustodyEvent(bytes)).toEqual(e);
      // Deterministic: the same event always encodes to the same bytes.
      expect(toHex(encodeCustodyEvent(decodeCustodyEvent(bytes)))).toBe(toHex(bytes));
    },
  );

  it('covers every registry change kind', () => {
    const kinds = new Set(
      sampleEvents().flatMap((e) => (e.type === 'REGISTRY' ? e.changes.map((c) => c.kind) : [])),
    );
    expect([...kinds].sort()).toEqual(['AddKey', 'AddParty', 'RevokeKey', 'SetCompanyPrefixes', 'SetRoles']);
  });

  it('starts with C3 01 and the custody event fingerprint, little-endian', () => {
    const fp = rxledgerSchemas.get(RECORD_NAMES.custodyEvent)!.fingerprint;
    expect(toHex(encoded.subarray(0, 2))).toBe('c301');
    expect(toHex(encoded.subarray(2, 10).slice().reverse())).toBe(fp);
  });

  it('keeps a ~300-byte event around 300 bytes', () => {
    // The bench signs events of this shape; the size matters for Kafka throughput.
    expect(encoded.length).toBeGreaterThan(100);
    expect(encoded.length).toBeLessThan(400);
  });

  it('decoded bytes do not alias the input or avsc pool', () => {
    const reg = sampleEvents().find((e) => e.type === 'REGISTRY' && e.eventId === 'evt-0')!;
    const bytes = encodeCustodyEvent(reg);
    const decoded = decodeCustodyEvent(bytes);
    bytes.fill(0);
    encodeCustodyEvent(reg);
    expect(decoded).toEqual(reg);
  });
});

const fingerprintLe = (hex: string) => (hex.match(/../g) ?? []).reverse().join('');

describe('signed event and ledger entry codecs', () => {
  it('round-trip a signed event', () => {
    const signed = { event: encoded, keyId: '0123456789abcdef', signature: new Uint8Array(64).fill(7) };
    expect(decodeSignedEvent(encodeSignedEvent(signed))).toEqual(signed);
  });

  it('round-trip a ledger entry with null and hash links', () => {
    const entry = {
      seq: 41,
      signedEvent: new Uint8Array([1, 2, 3]),
      links: [null, new Uint8Array(32).fill(9), null],
    };
    expect(decodeLedgerEntry(encodeLedgerEntry(entry))).toEqual({ version: 1, ...entry });
    expect(decodeLedgerEntry(encodeLedgerEntry({ ...entry, links: [] })).links).toEqual([]);
  });

  it('write v2 when the entry has appendedAt and signerLinks, and read both versions back', () => {
    const v1 = { seq: 41, signedEvent: new Uint8Array([1, 2, 3]), links: [null, new Uint8Array(32).fill(9)] };
    const v2 = { ...v1, appendedAt: 1_736_933_400_123, signerLinks: [new Uint8Array(32).fill(4), null] };
    const v1Bytes = encodeLedgerEntry(v1);
    const v2Bytes = encodeLedgerEntry(v2);
    expect(decodeLedgerEntry(v2Bytes)).toEqual({ version: 2, ...v2 });
    expect(decodeLedgerEntry(v1Bytes)).toEqual({ version: 1, ...v1 });
    // The single-object header tells the versions apart.
    const header = (name: string) => `c301${fingerprintLe(rxledgerSchemas.get(name)!.fingerprint)}`;
    expect(toHex(v1Bytes.subarray(0, 10))).toBe(header(RECORD_NAMES.ledgerEntry));
    expect(toHex(v2Bytes.subarray(0, 10))).toBe(header(RECORD_NAMES.ledgerEntryV2));
    // Field order seq, appendedAt, signedEvent, links, signerLinks: zigzag 41 = 0x52 opens the body,
    // then appendedAt's varint, then the signed event as length 3 (0x06) and its bytes.
    const body = toHex(v2Bytes.subarray(10));
    expect(body.startsWith('52')).toBe(true);
    expect(body).toContain('06010203');
    expect(body.indexOf('06010203')).toBeGreaterThan(2);
    // Re-encoding what was read gives the same bytes: the ledger can re-derive every leaf.
    expect(toHex(encodeLedgerEntry(decodeLedgerEntry(v2Bytes)))).toBe(toHex(v2Bytes));
    expect(toHex(encodeLedgerEntry(decodeLedgerEntry(v1Bytes)))).toBe(toHex(v1Bytes));
  });

  it('refuse a v2 entry with only one of appendedAt and signerLinks, naming the missing field', () => {
    const base = { seq: 1, signedEvent: new Uint8Array(), links: [] };
    expect(codeOf(() => encodeLedgerEntry({ ...base, appendedAt: 5 }))).toBe('INVALID_RECORD');
    expect(() => encodeLedgerEntry({ ...base, appendedAt: 5 })).toThrow(/invalid signerLinks/);
    expect(() => encodeLedgerEntry({ ...base, signerLinks: [] })).toThrow(/invalid appendedAt/);
    expect(
      codeOf(() => encodeLedgerEntry({ ...base, appendedAt: 5, signerLinks: [new Uint8Array(31)] })),
    ).toBe('INVALID_RECORD');
  });
});

describe('malformed records are refused with their own reason', () => {
  const withByte = (bytes: Uint8Array, i: number, v: number) => {
    const copy = bytes.slice();
    copy[i] = v;
    return copy;
  };

  it('empty input → TRUNCATED', () =>
    expect(codeOf(() => decodeCustodyEvent(new Uint8Array()))).toBe('TRUNCATED'));

  it('wrong marker → BAD_MAGIC, naming the bytes found', () => {
    expect(codeOf(() => decodeCustodyEvent(withByte(encoded, 0, 0x4f)))).toBe('BAD_MAGIC');
    expect(codeOf(() => decodeCustodyEvent(withByte(encoded, 1, 0x02)))).toBe('BAD_MAGIC');
    expect(() => decodeCustodyEvent(new TextEncoder().encode('{"type":"SHIP"}'))).toThrow(
      /expected marker c301, found 7b22/,
    );
  });

  it('header cut short → TRUNCATED', () => {
    expect(codeOf(() => decodeCustodyEvent(encoded.subarray(0, 7)))).toBe('TRUNCATED');
  });

  it('unknown fingerprint → UNKNOWN_SCHEMA, listing what the reader knows', () => {
    const bytes = withByte(encoded, 5, encoded[5]! ^ 0xff);
    expect(codeOf(() => decodeCustodyEvent(bytes))).toBe('UNKNOWN_SCHEMA');
    expect(() => decodeCustodyEvent(bytes)).toThrow(
      /^unknown schema fingerprint 0x[0-9a-f]{16}: this reader knows 0x[0-9a-f]{16} \(rxledger\.v1\.CustodyEvent\), /,
    );
  });

  it('body cut short → TRUNCATED', () => {
    expect(codeOf(() => decodeCustodyEvent(encoded.subarray(0, encoded.length - 1)))).toBe('TRUNCATED');
    expect(codeOf(() => decodeCustodyEvent(encoded.subarray(0, 10)))).toBe('TRUNCATED');
  });

  it('bytes after a complete body → TRAILING_BYTES', () => {
    const bytes = new Uint8Array([...encoded, 0]);
    expect(codeOf(() => decodeCustodyEvent(bytes))).toBe('TRAILING_BYTES');
    expect(() => decodeCustodyEvent(bytes)).toThrow(
      '1 trailing bytes after a complete rxledger.v1.CustodyEvent body',
    );
  });

  it('union branch index out of range → MALFORMED_BODY', () => {
    // A DISPENSE event ends with: body union index, items count, one item, end of array.
    const e = { ...header(GLN.pharmacy, GLN.counter), type: 'DISPENSE' as const, items: [SGTIN('1')] };
    const bytes = encodeCustodyEvent(e);
    const unionAt = bytes.length - 1 - (1 + SGTIN('1').length) - 1 - 1;
    expect(bytes[unionAt]).toBe(5 * 2); // zigzag of branch 5 (Dispense)
    expect(codeOf(() => decodeCustodyEvent(withByte(bytes, unionAt, 60)))).toBe('MALFORMED_BODY');
    expect(() => decodeCustodyEvent(withByte(bytes, unionAt, 60))).toThrow(/union index 30 outside 0\.\.8/);
  });

  it('enum symbol index out of range → MALFORMED_BODY', () => {
    const e = sampleEvents().find((x) => x.type === 'DECOMMISSION')!;
    const bytes = encodeCustodyEvent(e);
    expect(bytes.at(-1)).toBe(4 * 2); // zigzag of 'damaged'
    expect(codeOf(() => decodeCustodyEvent(withByte(bytes, bytes.length - 1, 5 * 2)))).toBe('MALFORMED_BODY');
  });

  it('an absurd array count fails fast instead of exhausting memory → TRUNCATED', () => {
    const e = { ...header(GLN.pharmacy, GLN.counter), type: 'DISPENSE' as const, items: [SGTIN('1')] };
    const bytes = encodeCustodyEvent(e);
    const countAt = bytes.length - 1 - (1 + SGTIN('1').length) - 1;
    // Count 2^31 as a zigzag varint, in place of the count 1 (shifting the rest).
    const huge = new Uint8Array([
      ...bytes.subarray(0, countAt),
      0x80,
      0x80,
      0x80,
      0x80,
      0x10,
      ...bytes.subarray(countAt + 1),
    ]);
    // Refused by the bounded walk before avsc would allocate 2^31 entries (speed is the benchmarks' job).
    expect(codeOf(() => decodeCustodyEvent(huge))).toBe('TRUNCATED');
  });

  it('a string length beyond the record → TRUNCATED; a negative one → MALFORMED_BODY', () => {
    // Byte 10 is the zigzag length of eventId.
    expect(codeOf(() => decodeCustodyEvent(withByte(encoded, 10, 0xfe)))).toBe('TRUNCATED');
    expect(codeOf(() => decodeCustodyEvent(withByte(encoded, 10, 0x03)))).toBe('MALFORMED_BODY');
  });

  it('an overlong varint (same value, more bytes) → NON_CANONICAL_ENCODING', () => {
    // eventId length 5 written as 0x8a 0x00 instead of 0x0a.
    expect(encoded[10]).toBe(10);
    const bytes = new Uint8Array([...encoded.subarray(0, 10), 0x8a, 0x00, ...encoded.subarray(11)]);
    expect(codeOf(() => decodeCustodyEvent(bytes))).toBe('NON_CANONICAL_ENCODING');
  });

  it('invalid UTF-8 in a string → NON_CANONICAL_ENCODING', () => {
    expect(codeOf(() => decodeCustodyEvent(withByte(encoded, 11, 0xff)))).toBe('NON_CANONICAL_ENCODING');
  });

  it('a different record where a custody event is expected → WRONG_RECORD_TYPE', () => {
    const signed = encodeSignedEvent({ event: encoded, keyId: 'k', signature: new Uint8Array(64) });
    expect(codeOf(() => decodeCustodyEvent(signed))).toBe('WRONG_RECORD_TYPE');
    expect(codeOf(() => decodeSignedEvent(encoded))).toBe('WRONG_RECORD_TYPE');
    expect(codeOf(() => decodeLedgerEntry(encoded))).toBe('WRONG_RECORD_TYPE');
  });

  it('a reader that does not know the ledger entry schema refuses leaves → UNKNOWN_SCHEMA', () => {
    const reader = new SchemaSet(SCHEMAS.slice(0, 2));
    const leaf = encodeLedgerEntry({ seq: 0, signedEvent: new Uint8Array(), links: [] });
    expect(codeOf(() => decodeLedgerEntry(leaf, reader))).toBe('UNKNOWN_SCHEMA');
    // A reader of v1 only (as before v2) refuses v2 leaves by their fingerprint, not by misreading them.
    const v2 = encodeLedgerEntry({
      seq: 0,
      appendedAt: 0,
      signedEvent: new Uint8Array(),
      links: [],
      signerLinks: [],
    });
    expect(codeOf(() => decodeLedgerEntry(v2, new SchemaSet(SCHEMAS.slice(0, 3))))).toBe('UNKNOWN_SCHEMA');
  });

  it('values that do not fit the schema are not encoded → INVALID_RECORD naming the field', () => {
    const bad = { ...event, eventTime: 1.5 };
    expect(codeOf(() => encodeCustodyEvent(bad))).toBe('INVALID_RECORD');
    expect(() => encodeCustodyEvent(bad)).toThrow(/invalid eventTime/);
    expect(
      codeOf(() => encodeLedgerEntry({ seq: 1, signedEvent: new Uint8Array(), links: [new Uint8Array(31)] })),
    ).toBe('INVALID_RECORD');
    expect(codeOf(() => rxledgerSchemas.encode('rxledger.v9.Nope', {}))).toBe('UNKNOWN_RECORD_NAME');
  });
});
