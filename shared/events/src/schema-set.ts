import type avsc from 'avsc';
import avroTypes from 'avsc/etc/browser/avsc-types.js';
import { toHex } from '@rxledger/tlog';
import { type ReaderType, readCanonical, readerTypeOf } from './avro-reader.ts';
import { crc64Avro, fingerprintBytes, fingerprintHex } from './crc64-avro.ts';
import { CodecError } from './errors.ts';
import { parsingCanonicalForm } from './parsing-canonical-form.ts';

/** The two marker bytes that open every Avro single-object encoding. */
export const SINGLE_OBJECT_MAGIC = Uint8Array.of(0xc3, 0x01);

const HEADER_LENGTH = 10;

/** One schema version a SchemaSet can read. */
export interface KnownSchema {
  /** Full name of the top-level record, e.g. `rxledger.v1.CustodyEvent`. */
  name: string;
  /** CRC-64-AVRO of the Parsing Canonical Form, 16 lowercase hex digits, most significant first. */
  fingerprint: string;
  /** The schema as written (with docs), as served at `GET /v1/schemas`. */
  schema: unknown;
  /** The Parsing Canonical Form the fingerprint is computed over. */
  canonicalForm: string;
}

/** A decoded record and the schema version it was written with. */
export interface DecodedRecord {
  name: string;
  fingerprint: string;
  /** avsc's value: records as objects, unions wrapped as `{ "<full name>": value }`, bytes as Buffer. */
  value: unknown;
}

interface Entry extends KnownSchema {
  /** How the record is read: the one strict reader (avro-reader.ts), in Node and in a browser alike. */
  reader: ReaderType;
  /** How it is written: avsc, compiled on first use (a page that only reads never compiles it). */
  writer?: avsc.Type;
  header: Uint8Array;
}

/**
 * Every schema version a reader knows, by fingerprint: writes Avro single-object encoding and reads any
 * known version, refusing unknown fingerprints, bad magic, truncated, trailing and non-canonical bytes.
 */
export class SchemaSet {
  readonly #byFingerprint = new Map<string, Entry>();
  readonly #byName = new Map<string, Entry>();

  /** A set of the given schemas (parsed `.avsc` JSON); each must be a named record with a unique name. */
  constructor(schemas: readonly unknown[]) {
    for (const schema of schemas) {
      const name = recordName(schema);
      const canonicalForm = parsingCanonicalForm(schema);
      const fp = crc64Avro(new TextEncoder().encode(canonicalForm));
      const entry: Entry = {
        name,
        fingerprint: fingerprintHex(fp),
        schema,
        canonicalForm,
        reader: readerTypeOf(schema),
        header: new Uint8Array([...SINGLE_OBJECT_MAGIC, ...fingerprintBytes(fp)]),
      };
      if (this.#byName.has(name)) throw new TypeError(`schema ${name} given twice`);
      this.#byName.set(name, entry);
      this.#byFingerprint.set(entry.fingerprint, entry);
    }
  }

  /** Every known schema version. */
  list(): KnownSchema[] {
    return [...this.#byName.values()].map(({ name, fingerprint, schema, canonicalForm }) => ({
      name,
      fingerprint,
      schema,
      canonicalForm,
    }));
  }

  /** Fingerprint hex → schema JSON, the body of `GET /v1/schemas`. */
  toJSON(): Record<string, unknown> {
    return Object.fromEntries([...this.#byName.values()].map((e) => [e.fingerprint, e.schema]));
  }

  /** The known schema with this full record name, if any. */
  get(name: string): KnownSchema | undefined {
    return this.#byName.get(name);
  }

  /** Single-object encoding of `value` as record `name`; throws CodecError INVALID_RECORD naming the bad field. */
  encode(name: string, value: unknown): Uint8Array {
    const entry = this.#byName.get(name);
    if (entry === undefined) {
      throw new CodecError(
        'UNKNOWN_RECORD_NAME',
        `no schema named ${name}: this writer knows ${this.#names()}`,
      );
    }
    const writer = this.#writer(entry);
    const problems: string[] = [];
    const ok = writer.isValid(value, {
      noUndeclaredFields: true,
      errorHook: (path) => problems.push(path.join('.') || '(record)'),
    });
    if (!ok) throw new CodecError('INVALID_RECORD', `cannot encode ${name}: invalid ${problems.join(', ')}`);
    const body = writer.toBuffer(value);
    const out = new Uint8Array(HEADER_LENGTH + body.length);
    out.set(entry.header, 0);
    out.set(body, HEADER_LENGTH);
    return out;
  }

  /** Decode single-object-encoded `bytes` written with any known schema; throws CodecError otherwise. */
  decode(bytes: Uint8Array): DecodedRecord {
    if (bytes.length === 0)
      throw new CodecError('TRUNCATED', 'empty record: expected Avro single-object encoding');
    if (bytes[0] !== 0xc3 || (bytes.length > 1 && bytes[1] !== 0x01)) {
      throw new CodecError(
        'BAD_MAGIC',
        `not Avro single-object encoding: expected marker c301, found ${toHex(bytes.subarray(0, 2))}`,
      );
    }
    if (bytes.length < HEADER_LENGTH) {
      throw new CodecError(
        'TRUNCATED',
        `record of ${bytes.length} bytes is shorter than the ${HEADER_LENGTH}-byte single-object header`,
      );
    }
    let fp = 0n;
    for (let i = 9; i >= 2; i--) fp = (fp << 8n) | BigInt(bytes[i] as number);
    const fingerprint = fingerprintHex(fp);
    const entry = this.#byFingerprint.get(fingerprint);
    if (entry === undefined) {
      throw new CodecError(
        'UNKNOWN_SCHEMA',
        `unknown schema fingerprint 0x${fingerprint}: this reader knows ${this.#names()}`,
      );
    }
    const value = readCanonical(entry.reader, bytes, HEADER_LENGTH, `${entry.name} body`);
    return { name: entry.name, fingerprint, value };
  }

  /** decode(), refusing with WRONG_RECORD_TYPE any record that is not a `name` record. */
  decodeAs(name: string, bytes: Uint8Array): DecodedRecord {
    const record = this.decode(bytes);
    if (record.name !== name) {
      throw new CodecError(
        'WRONG_RECORD_TYPE',
        `expected a ${name} record, found ${record.name} (0x${record.fingerprint})`,
      );
    }
    return record;
  }

  // wrapUnions: records of one union are all JS objects, so only wrapped unions say which branch.
  #writer(entry: Entry): avsc.Type {
    entry.writer ??= avroTypes.Type.forSchema(entry.schema as avsc.Schema, { wrapUnions: true });
    return entry.writer;
  }

  #names(): string {
    return [...this.#byName.values()].map((e) => `0x${e.fingerprint} (${e.name})`).join(', ');
  }
}

/** The full name of a record schema; a SchemaSet holds named records only. */
function recordName(schema: unknown): string {
  const s = schema as { type?: unknown; name?: unknown; namespace?: unknown } | null;
  if (s?.type !== 'record' || typeof s.name !== 'string')
    throw new TypeError('a SchemaSet holds named records only');
  if (s.name.includes('.') || typeof s.namespace !== 'string' || s.namespace === '') return s.name;
  return `${s.namespace}.${s.name}`;
}
