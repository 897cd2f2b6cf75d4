// Every kind of malformed bundle is refused by the shape check alone, with a message that names the
// JSON path of the problem (STYLE §3), and nothing else is checked.
import { afterAll, describe, expect, it } from 'vitest';
import { type ProvenanceBundle, parseBundle, verifyBundle } from '../src/index.ts';
import { pack, scenario, shortJourney } from './support/scenario.ts';

type Mutable = Record<string, unknown> & ProvenanceBundle;

describe('a malformed bundle', () => {
  const s = scenario(shortJourney);
  const bundle = s.bundle(pack(1));
  afterAll(() => s.close());
  const hash31 = Buffer.alloc(31, 7).toString('base64');

  const cases: Array<[string, (b: Mutable) => unknown, RegExp]> = [
    ['null', () => null, /^bundle: expected a JSON object, got null$/],
    ['an array', () => [bundle], /^bundle: expected a JSON object, got an array$/],
    ['a string', () => JSON.stringify(bundle), /^bundle: expected a JSON object, got a string$/],
    ['no item', ({ item: _, ...b }) => b, /^item: expected the item's URI as a string, got nothing$/],
    ['a numeric item', (b) => ({ ...b, item: 42 }), /^item: expected the item's URI as a string, got 42$/],
    ['an empty item', (b) => ({ ...b, item: '' }), /^item: is empty$/],
    [
      'a checkpoint object',
      (b) => ({ ...b, checkpoint: { size: 6 } }),
      /^checkpoint: expected the signed checkpoint note as a string, got an object$/,
    ],
    [
      'entries not an array',
      (b) => ({ ...b, entries: {} }),
      /^entries: expected an array of \{ index, leaf, proof \}, got an object$/,
    ],
    [
      'an entry that is a string',
      (b) => {
        b.entries[1] = 'leaf' as never;
      },
      /^entries\[1\]: expected an object \{ index, leaf, proof \}, got "leaf"$/,
    ],
    [
      'a negative index',
      (b) => {
        b.entries[0]!.index = -1;
      },
      /^entries\[0\]\.index: expected a leaf index \(an integer >= 0\), got -1$/,
    ],
    [
      'a fractional index',
      (b) => {
        b.registry[0]!.index = 0.5;
      },
      /^registry\[0\]\.index: expected a leaf index \(an integer >= 0\), got 0\.5$/,
    ],
    [
      'an index as a string',
      (b) => {
        b.entries[2]!.index = '3' as never;
      },
      /^entries\[2\]\.index: expected a leaf index \(an integer >= 0\), got "3"$/,
    ],
    [
      'a leaf with a character outside base64',
      (b) => {
        b.entries[1]!.leaf = `*${b.entries[1]!.leaf.slice(1)}`;
      },
      /^entries\[1\]\.leaf: not canonical standard base64 \(invalid character at offset 0\)$/,
    ],
    [
      'a leaf without padding',
      (b) => {
        b.entries[1]!.leaf = 'wwE';
      },
      /^entries\[1\]\.leaf: not canonical standard base64 \(length 3 is not a multiple of 4\)$/,
    ],
    [
      'a leaf with non-zero pad bits',
      (b) => {
        b.entries[1]!.leaf = 'wwF=';
      },
      /^entries\[1\]\.leaf: not canonical standard base64 \(non-zero padding bits\)$/,
    ],
    [
      'a leaf as bytes',
      (b) => {
        b.entries[1]!.leaf = [195, 1] as never;
      },
      /^entries\[1\]\.leaf: expected a base64 string, got an array$/,
    ],
    [
      'a proof that is a string',
      (b) => {
        b.entries[3]!.proof = 'abc' as never;
      },
      /^entries\[3\]\.proof: expected an array of base64 hashes, got "abc"$/,
    ],
    [
      'a 31-byte proof hash',
      (b) => {
        b.entries[2]!.proof[1] = hash31;
      },
      /^entries\[2\]\.proof\[1\]: hash is 31 bytes, expected 32$/,
    ],
    [
      'a proof of 54 hashes',
      (b) => {
        b.entries[2]!.proof = Array(54).fill(b.entries[2]!.proof[0]);
      },
      /^entries\[2\]\.proof: 54 hashes, more than any tree needs \(53\)$/,
    ],
    [
      'entries out of order',
      (b) => {
        b.entries.reverse();
      },
      /^entries\[1\]\.index: 4 follows 5: indices must ascend$/,
    ],
    [
      'a repeated index',
      (b) => {
        b.entries[1] = { ...b.entries[0]! };
      },
      /^entries\[1\]\.index: 1 repeats the previous index$/,
    ],
    [
      'an index beyond the checkpoint',
      (b) => {
        b.entries[4]!.index = 6;
      },
      /^entries\[4\]\.index: 6 is not below the checkpoint's tree size 6$/,
    ],
    [
      'an index in both lists',
      (b) => {
        b.registry.push({ ...b.entries[4]! });
      },
      /^entries\[4\]\.index: 5 is also registry\[1\]\.index$/,
    ],
    [
      'no registry',
      ({ registry: _, ...b }) => b,
      /^registry: expected an array of \{ index, leaf, proof \}, got nothing$/,
    ],
    [
      'schemas as an array',
      (b) => ({ ...b, schemas: [] }),
      /^schemas: expected an object of fingerprint → schema, got an array$/,
    ],
    [
      'a schema key that is no fingerprint',
      (b) => {
        b.schemas.CustodyEvent = {};
      },
      /^schemas\["CustodyEvent"\]: key is not a 16-digit lower-case hex fingerprint$/,
    ],
  ];

  it.each(cases)('is refused when it has %s, naming the path', (_, mutate, message) => {
    const copy = structuredClone(bundle) as Mutable;
    const changed = mutate(copy);
    const input = changed === undefined ? copy : changed;
    const report = verifyBundle(input, s.trust);
    expect(report.ok).toBe(false);
    expect(report.checks.every((c) => c.what === 'bundle shape' && !c.ok)).toBe(true);
    expect(report.checks.map((c) => c.detail)).toContainEqual(expect.stringMatching(message));
    expect(report.timeline).toEqual([]);
  });

  it('lists every problem, up to twenty', () => {
    const copy = structuredClone(bundle) as Mutable;
    for (const e of copy.entries) e.proof = e.proof.map(() => hash31);
    const parsed = parseBundle({ ...copy, item: 7 });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems[0]).toMatch(/^item: /);
    expect(parsed.problems.length).toBeLessThanOrEqual(21);
    const many = parseBundle({ ...copy, entries: Array(30).fill('x') });
    expect(many.ok ? [] : many.problems.at(-1)).toMatch(/^… and 10 more problems$/);
  });

  it('is not refused for a missing timeline or extra fields', () => {
    const { timeline: _, ...rest } = bundle;
    expect(verifyBundle({ ...rest, status: 'DISPENSED' }, s.trust).ok).toBe(true);
  });
});
