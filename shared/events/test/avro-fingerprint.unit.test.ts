import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import {
  crc64Avro,
  fingerprintBytes,
  fingerprintHex,
  parsingCanonicalForm,
  RECORD_NAMES,
  rxledgerSchemas,
  SCHEMAS,
  SchemaSet,
  toHex,
} from '../src/index.ts';
import vectors from './vectors/avro-fingerprints.json' with { type: 'json' };

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('Parsing Canonical Form and CRC-64-AVRO (Avro schema-tests.txt)', () => {
  it.each(vectors.schemas)('case $id: canonical form', ({ input, canonical }) => {
    expect(parsingCanonicalForm(JSON.parse(input))).toBe(canonical);
  });

  it.each(vectors.schemas.filter((v) => v.fingerprint !== undefined))('case $id: fingerprint', (v) => {
    const expected = BigInt.asUintN(64, BigInt(v.fingerprint as string));
    expect(crc64Avro(utf8(v.canonical))).toBe(expected);
  });

  it('the fingerprint of "null" is 7195948357588979594 (0x63dd24e7cc258f8a)', () => {
    expect(fingerprintHex(crc64Avro(utf8('"null"')))).toBe('63dd24e7cc258f8a');
  });

  it.each(vectors.singleObjectHeaders)('single-object header of $schema', ({ schema, header }) => {
    const fp = crc64Avro(utf8(parsingCanonicalForm(JSON.parse(schema))));
    expect(`c301${toHex(fingerprintBytes(fp))}`).toBe(header);
  });
});

describe('rxledger schemas', () => {
  it('have the canonical form avsc derives too (two independent readings of the spec agree)', () => {
    for (const schema of SCHEMAS) {
      const type = avro.Type.forSchema(schema as avro.Schema, { wrapUnions: true });
      expect(parsingCanonicalForm(schema)).toBe(JSON.stringify(type.schema()));
    }
  });

  it('use no Avro map anywhere (avsc writes maps in insertion order: not canonical)', () => {
    for (const known of rxledgerSchemas.list()) expect(known.canonicalForm).not.toContain('"map"');
  });

  it('serve as fingerprint hex → schema JSON for GET /v1/schemas', () => {
    const served = rxledgerSchemas.toJSON();
    expect(Object.keys(served)).toHaveLength(5);
    for (const [fp, schema] of Object.entries(served)) {
      expect(fp).toMatch(/^[0-9a-f]{16}$/);
      // A client can recompute the key from what it is served.
      expect(fingerprintHex(crc64Avro(utf8(parsingCanonicalForm(schema))))).toBe(fp);
    }
    expect(JSON.parse(JSON.stringify(served))).toEqual(served);
  });

  it.each(vectors.rxledgerSchemas)('pin the fingerprint of $name ($file)', (v) => {
    const known = rxledgerSchemas.get(v.name)!;
    expect(known.fingerprint).toBe(v.fingerprint);
    if (v.canonical !== undefined) expect(known.canonicalForm).toBe(v.canonical);
  });

  it('name every record version: custody event, signed event, ledger entry v1 and v2', () => {
    expect(rxledgerSchemas.list().map((s) => s.name)).toEqual(Object.values(RECORD_NAMES));
  });

  it('refuse a set with a schema given twice, or an unnamed top level', () => {
    expect(() => new SchemaSet([SCHEMAS[0], SCHEMAS[0]])).toThrow(/given twice/);
    expect(() => new SchemaSet(['string'])).toThrow(/named records only/);
  });
});
