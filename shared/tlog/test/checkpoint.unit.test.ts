import { describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  emptyRoot,
  formatCheckpoint,
  fromBase64,
  generateNoteKey,
  inclusionProof,
  leafHash,
  MemoryHashStore,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signCheckpoint,
  signNote,
  TlogError,
  toBase64,
  utf8,
  verifyCheckpoint,
  verifyInclusion,
} from '../src/index.ts';
import v from './vectors/checkpoint.json' with { type: 'json' };
import notes from './vectors/signed-note.json' with { type: 'json' };

const logKeys = notes.keyPairs[0]!; // "Log" key pair of transparency-dev/formats
const signer = parseSignerKey(logKeys.signerKey);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof TlogError ? err.code : String(err);
  }
  return undefined;
}

describe('parseCheckpoint / formatCheckpoint', () => {
  it('parses the C2SP example and formats it back byte for byte', () => {
    const cp = parseCheckpoint(v.specExample.body);
    expect(cp.origin).toBe(v.specExample.origin);
    expect(cp.size).toBe(v.specExample.size);
    expect(toBase64(cp.root)).toBe(v.specExample.rootBase64);
    expect(cp.extensions).toBeUndefined();
    expect(formatCheckpoint(cp)).toBe(v.specExample.body);
  });

  for (const ok of v.validBodies) {
    it(`accepts ${JSON.stringify(ok.body.split('\n')[1])}${ok.extensions ? ' with extension lines' : ''}`, () => {
      const cp = parseCheckpoint(ok.body);
      expect(cp.size).toBe(ok.size);
      expect(cp.extensions).toEqual(ok.extensions);
      expect(formatCheckpoint(cp)).toBe(ok.body);
    });
  }

  it('writes the empty tree as size 0 with the SHA-256 of nothing', () => {
    expect(toBase64(parseCheckpoint(v.validBodies[0]!.body).root)).toBe(toBase64(emptyRoot()));
  });

  for (const bad of v.invalidBodies) {
    it(`rejects ${JSON.stringify(bad.body)}: ${bad.error}`, () => {
      expect(() => parseCheckpoint(bad.body)).toThrow(bad.error);
      expect(codeOf(() => parseCheckpoint(bad.body))).toBe('MALFORMED_CHECKPOINT');
    });
  }

  it('refuses to format what it could not parse back', () => {
    const root = emptyRoot();
    const cases: [Checkpoint, string][] = [
      [{ origin: '', size: 0, root }, 'origin must be a non-empty string'],
      [{ origin: 'a\nb', size: 0, root }, 'origin contains a newline'],
      [{ origin: 'log', size: -1, root }, 'tree size must be an integer in [0, 2^53-1], got -1'],
      [{ origin: 'log', size: 1.5, root }, 'got 1.5'],
      [{ origin: 'log', size: 2 ** 53, root }, 'got 9007199254740992'],
      [{ origin: 'log', size: 1, root: root.subarray(1) }, 'root hash must be 32 bytes, got 31'],
      [{ origin: 'log', size: 1, root, extensions: [''] }, 'extension line 1 must be a non-empty string'],
      [{ origin: 'log', size: 1, root, extensions: ['x\n'] }, 'extension line 1 contains a newline'],
    ];
    for (const [cp, message] of cases) expect(() => formatCheckpoint(cp), message).toThrow(message);
  });
});

describe('signCheckpoint / verifyCheckpoint', () => {
  it('verifies the real sum.golang.org checkpoint (key name differs from origin, as the spec allows)', () => {
    const cp = verifyCheckpoint(v.sumdb.note, v.sumdb.verifierKey);
    expect(cp).toEqual({ origin: v.sumdb.origin, size: v.sumdb.size, root: fromBase64(v.sumdb.rootBase64) });
    expect(
      verifyCheckpoint(utf8(v.sumdb.note), parseVerifierKey(v.sumdb.verifierKey), { origin: v.sumdb.origin })
        .size,
    ).toBe(v.sumdb.size);
  });

  it('round-trips a checkpoint of a real tree and proves a leaf against it', () => {
    const store = new MemoryHashStore();
    store.append(['a', 'b', 'c', 'd', 'e'].map((s) => leafHash(utf8(s))));
    const note = signCheckpoint({ origin: 'Log', size: store.size, root: store.root() }, signer);
    const cp = verifyCheckpoint(note, logKeys.verifierKey, { origin: 'Log' });
    expect(cp.size).toBe(5);
    verifyInclusion(leafHash(utf8('c')), 2, cp.size, inclusionProof(store, 2, cp.size), cp.root);
  });

  it('signs a formatted body as is, and nothing that is not a checkpoint', () => {
    const note = signCheckpoint(v.specExample.body, signer);
    expect(note.startsWith(`${v.specExample.body}\n\u2014 Log `)).toBe(true);
    expect(() => signCheckpoint('hello\n', signer)).toThrow('malformed checkpoint: body has 1 lines');
  });

  it('ignores witness cosignatures and other unknown keys', () => {
    const witness = parseSignerKey(notes.keyPairs[1]!.signerKey);
    const note = signNote(v.specExample.body, [witness, signer]);
    expect(verifyCheckpoint(note, logKeys.verifierKey).size).toBe(v.specExample.size);
  });

  it('rejects notes not signed by the trusted key, altered, for another origin, or not checkpoints', () => {
    const note = signCheckpoint(v.specExample.body, signer);
    const other = generateNoteKey('Log').verifierKey;
    expect(codeOf(() => verifyCheckpoint(note, other))).toBe('UNTRUSTED_NOTE');
    expect(codeOf(() => verifyCheckpoint(note.replace('20852163', '20852164'), logKeys.verifierKey))).toBe(
      'INVALID_SIGNATURE',
    );
    expect(() => verifyCheckpoint(note, logKeys.verifierKey, { origin: 'example.com/other' })).toThrow(
      'checkpoint is for origin "example.com/behind-the-sofa", expected "example.com/other"',
    );
    const notCheckpoint = signNote('hello\nworld\n', [signer]);
    expect(openNote(notCheckpoint, [parseVerifierKey(logKeys.verifierKey)]).text).toBe('hello\nworld\n');
    expect(() => verifyCheckpoint(notCheckpoint, logKeys.verifierKey)).toThrow(
      'malformed checkpoint: body has 2 lines',
    );
    expect(codeOf(() => verifyCheckpoint(v.sumdb.note, 'not a key'))).toBe('MALFORMED_KEY');
  });
});
