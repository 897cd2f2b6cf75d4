// The strict reader (avro-reader.ts) against avsc, the mandated Avro library it stands in for when
// reading: on the golden records and on thousands of mutations of them, whatever one accepts the
// other reads to the same value, and what the reader calls non-canonical avsc writes differently.
import { readFileSync } from 'node:fs';
import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import { readCanonical, readerTypeOf } from '../src/avro-reader.ts';
import { CodecError } from '../src/errors.ts';
import { SCHEMAS } from '../src/schemas.ts';

const HEADER = 10;
const vectors = ['wire.json', 'wire-v2.json'].map(
  (f) =>
    JSON.parse(readFileSync(new URL(`../../../test/golden/${f}`, import.meta.url), 'utf8')) as {
      events: { eventBytes: string; signedEvent: string }[];
      leaves: { leaf: string }[];
    },
);
const records = vectors.flatMap((v) => [
  ...v.events.flatMap((e) => [e.eventBytes, e.signedEvent]),
  ...v.leaves.map((l) => l.leaf),
]);
const schemaOf = new Map(
  SCHEMAS.map((schema) => {
    const type = avsc.Type.forSchema(schema as avsc.Schema, { wrapUnions: true });
    return [type.name!, { avsc: type, reader: readerTypeOf(schema) }];
  }),
);
// Every golden record names its schema by fingerprint; match by trying each (they differ in shape).
const typed = records
  .map((hex) => Buffer.from(hex, 'hex'))
  .map((bytes) => {
    const entry = [...schemaOf.values()].find((s) => readsAs(s.reader, bytes) !== undefined)!;
    return { bytes, ...entry };
  });

function readsAs(reader: ReturnType<typeof readerTypeOf>, bytes: Uint8Array): unknown {
  try {
    return readCanonical(reader, bytes, HEADER, 'record');
  } catch (e) {
    if (e instanceof CodecError) return undefined;
    throw e;
  }
}

/** avsc's reading: the value when it reads the body to its end and writes the same bytes back. */
function avscCanonical(type: avsc.Type, bytes: Buffer): unknown {
  try {
    const { value, offset } = type.decode(bytes, HEADER);
    if (offset !== bytes.length || value === undefined) return undefined;
    return type.toBuffer(value).equals(bytes.subarray(HEADER)) ? value : undefined;
  } catch {
    return undefined;
  }
}

const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('the strict Avro reader', () => {
  it('reads every golden record to the value avsc reads', () => {
    expect(typed.length).toBeGreaterThan(40);
    for (const r of typed)
      expect(plain(readsAs(r.reader, r.bytes))).toEqual(plain(r.avsc.decode(r.bytes, HEADER).value));
  });

  it('agrees with avsc on 20,000 mutated records: same acceptance, same values', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    let accepted = 0;
    let refusedUtf8 = 0;
    for (let n = 0; n < 20_000; n++) {
      const r = typed[next() % typed.length]!;
      const bytes = Buffer.from(r.bytes);
      const at = HEADER + (next() % (bytes.length - HEADER));
      bytes[at] = next() % 256;
      const ours = readsAs(r.reader, bytes);
      if (ours !== undefined) {
        accepted += 1;
        expect(plain(ours), `mutation at ${at}`).toEqual(plain(avscCanonical(r.avsc, bytes)));
      } else {
        // avsc trusts lengths and counts (a mutated one can make it allocate until the process dies),
        // so it is asked only where the structure is intact: a string's bytes that are not UTF-8.
        try {
          readCanonical(r.reader, bytes, HEADER, 'record');
        } catch (e) {
          if ((e as CodecError).message.includes('UTF-8')) {
            refusedUtf8 += 1;
            expect(avscCanonical(r.avsc, bytes), `mutation at ${at}`).toBeUndefined();
          }
        }
      }
    }
    expect(accepted).toBeGreaterThan(1000);
    expect(refusedUtf8).toBeGreaterThan(100);
  });
});
