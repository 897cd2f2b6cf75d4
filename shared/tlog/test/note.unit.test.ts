import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ed25519Signer,
  formatSignerKey,
  formatVerifierKey,
  fromBase64,
  fromHex,
  generateNoteKey,
  keyId,
  type NoteSignature,
  openNote,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  TlogError,
  toBase64,
  utf8,
} from '../src/index.ts';
import v from './vectors/signed-note.json' with { type: 'json' };

const peter = v.peterNeumann;
const peterVerifier = parseVerifierKey(peter.verifierKey);
const enochVerifier = parseVerifierKey(v.enochRoot.verifierKey);
const line = (s: NoteSignature) => `\u2014 ${s.name} ${toBase64(concat4(s.keyId, s.signature))}\n`;

function concat4(id: number, sig: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + sig.length);
  new DataView(out.buffer).setUint32(0, id);
  out.set(sig, 4);
  return out;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof TlogError ? err.code : `not a TlogError: ${String(err)}`;
  }
  return undefined;
}

describe('keys (golang.org/x/mod/sumdb/note vectors)', () => {
  it('parses the PeterNeumann verifier and signer keys and derives the same key ID', () => {
    const signer = parseSignerKey(peter.signerKey);
    expect(peterVerifier.name).toBe('PeterNeumann');
    expect(peterVerifier.keyId.toString(16)).toBe(peter.keyId);
    expect(signer.keyId).toBe(peterVerifier.keyId);
    expect(toBase64(signer.publicKey)).toBe(toBase64(peterVerifier.publicKey));
    expect(keyId('PeterNeumann', peterVerifier.publicKey).toString(16)).toBe(peter.keyId);
    expect(formatVerifierKey('PeterNeumann', signer.publicKey)).toBe(peter.verifierKey);
  });

  it('derives each transparency-dev/formats verifier key from its signer key', () => {
    for (const { signerKey, verifierKey } of v.keyPairs) {
      const signer = parseSignerKey(signerKey);
      expect(formatVerifierKey(signer.name, signer.publicKey)).toBe(verifierKey);
      const prefix = `PRIVATE+KEY+${signer.name}+xxxxxxxx+`;
      const seed = fromBase64(signerKey.slice(prefix.length)).subarray(1);
      expect(formatSignerKey(signer.name, seed)).toBe(signerKey);
    }
  });

  it('rejects every truncation and every single-character change of a verifier key (as Go does)', () => {
    const key = peter.verifierKey;
    for (let i = 0; i <= key.length; i++) {
      for (let j = i + 1; j <= key.length; j++) {
        if (i !== 0 || j !== key.length)
          expect(
            codeOf(() => parseVerifierKey(key.slice(i, j))),
            key.slice(i, j),
          ).toBe('MALFORMED_KEY');
      }
    }
    for (let i = 0; i < key.length; i++) {
      const changed = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
      expect(
        codeOf(() => parseVerifierKey(changed)),
        changed,
      ).toBe('MALFORMED_KEY');
    }
    for (const { key: bad, error } of v.badVerifierKeys) expect(() => parseVerifierKey(bad)).toThrow(error);
  });

  it('rejects every truncation and every single-character change of a signer key', () => {
    const key = peter.signerKey;
    for (let i = 0; i <= key.length; i++) {
      for (let j = i + 1; j <= key.length; j++) {
        if (i !== 0 || j !== key.length)
          expect(codeOf(() => parseSignerKey(key.slice(i, j)))).toBe('MALFORMED_KEY');
      }
    }
    for (let i = 0; i < key.length; i++) {
      const changed = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
      expect(
        codeOf(() => parseSignerKey(changed)),
        `change at ${i}`,
      ).toBe('MALFORMED_KEY');
    }
  });

  it('never echoes a signer key in its errors', () => {
    const secret = peter.signerKey.slice(peter.signerKey.lastIndexOf('+') + 1);
    for (const bad of [
      `${peter.signerKey}x`,
      peter.signerKey.replace('c74f20a3', 'c74f20a4'),
      peter.signerKey.slice(1),
    ]) {
      try {
        parseSignerKey(bad);
      } catch (err) {
        expect((err as Error).message).not.toContain(secret.slice(4, 20));
      }
    }
  });

  it('generates key pairs that sign and verify', () => {
    const { signerKey, verifierKey } = generateNoteKey('example.com/log');
    const note = signNote('hi\n', [parseSignerKey(signerKey)]);
    expect(openNote(note, [parseVerifierKey(verifierKey)]).text).toBe('hi\n');
  });
});

describe('signNote', () => {
  const signer = parseSignerKey(peter.signerKey);

  it('reproduces the signed PeterNeumann note byte for byte (Ed25519 is deterministic)', () => {
    expect(signNote(peter.text, [signer])).toBe(peter.signedNote);
  });

  it('replaces an existing signature by the same key and keeps others first', () => {
    const bogus = { name: 'PeterNeumann', keyId: peterVerifier.keyId, signature: Uint8Array.of(1, 2, 3) };
    expect(signNote(peter.text, [signer], [bogus])).toBe(peter.signedNote);
    const enoch = parseNote(`${peter.text}\n${v.enochRoot.signatureLine}`).signatures[0]!;
    expect(signNote(peter.text, [signer], [enoch])).toBe(
      `${peter.text}\n${v.enochRoot.signatureLine}${peter.signatureLine}`,
    );
  });

  it('produces signatures that node:crypto (OpenSSL) also accepts', () => {
    const seed = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'); // RFC 8032 test 1
    const s = ed25519Signer('example.com/log', seed);
    const { signatures } = parseNote(signNote('rxledger\n', [s]));
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), s.publicKey]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(nodeVerify(null, utf8('rxledger\n'), key, signatures[0]!.signature)).toBe(true);
  });

  it('refuses text that could not be opened again', () => {
    expect(() => signNote('abc', [signer])).toThrow('malformed note: text does not end with a newline');
    expect(() => signNote('a\tb\n', [signer])).toThrow('control character or unpaired surrogate at offset 1');
    expect(() => signNote('a\uD800\n', [signer])).toThrow('at offset 1');
    expect(() => signNote('a\n', [])).toThrow('needs at least one signature');
    expect(() => signNote('a\n', [], [{ name: 'a+b', keyId: 1, signature: Uint8Array.of(1) }])).toThrow(
      'keep[0]: invalid key name "a+b"',
    );
    expect(() => signNote('a\n', [{ ...signer, name: 'bad name' }])).toThrow(
      'signers[0]: invalid key name "bad name"',
    );
  });
});

describe('openNote', () => {
  const text = peter.text;

  it('opens the signed note of the Go documentation', () => {
    const n = openNote(peter.signedNote, [peterVerifier]);
    expect(n.text).toBe(text);
    expect(n.verified.map(line)).toEqual([peter.signatureLine]);
    expect(n.unverified).toEqual([]);
  });

  it('accepts bytes as well as strings', () => {
    expect(openNote(utf8(peter.signedNote), [peterVerifier]).text).toBe(text);
  });

  it('ignores signatures by unknown keys and verifies every known one', () => {
    const both = `${text}\n${peter.signatureLine}${v.enochRoot.signatureLine}`;
    const one = openNote(both, [peterVerifier]);
    expect(one.verified.map(line)).toEqual([peter.signatureLine]);
    expect(one.unverified.map(line)).toEqual([v.enochRoot.signatureLine]);
    const two = openNote(both, [peterVerifier, enochVerifier]);
    expect(two.verified.map(line)).toEqual([peter.signatureLine, v.enochRoot.signatureLine]);
    expect(two.unverified).toEqual([]);
  });

  it('ignores a known name with another key ID, and a known key ID under another name', () => {
    const otherId = peter.signatureLine.replace('x08g', 'xxxx');
    const otherName = peter.signatureLine.replace('PeterNeumann', 'CarmenSandiego');
    const n = openNote(`${text}\n${peter.signatureLine}${otherId}${otherName}`, [peterVerifier]);
    expect(n.verified).toHaveLength(1);
    expect(n.unverified.map(line)).toEqual([otherId, otherName]);
  });

  it('drops repeated signatures as Go does', () => {
    const n = openNote(v.openDuplicates.note, [peterVerifier]);
    expect(n.verified.map((s) => s.name)).toEqual(v.openDuplicates.verified);
    expect(n.unverified.map(line)).toEqual(v.openDuplicates.unverifiedLines);
  });

  it('rejects a note whose trusted signature does not verify', () => {
    expect(() => openNote(v.openInvalidSignature.note, [peterVerifier])).toThrow(
      v.openInvalidSignature.error,
    );
    const tampered = peter.signedNote.replace('cryptography', 'cryptocurrency');
    expect(codeOf(() => openNote(tampered, [peterVerifier]))).toBe('INVALID_SIGNATURE');
  });

  it('rejects a note with no trusted signature', () => {
    expect(() => openNote(peter.signedNote, [])).toThrow(
      'note has no signature by a trusted key (signed by PeterNeumann+c74f20a3)',
    );
    expect(codeOf(() => openNote(peter.signedNote, [enochVerifier]))).toBe('UNTRUSTED_NOTE');
  });

  it('rejects two different trusted keys with the same name and key ID, but not one key listed twice', () => {
    const impostor = { ...peterVerifier, publicKey: enochVerifier.publicKey, verify: () => true };
    expect(() => openNote(peter.signedNote, [peterVerifier, impostor])).toThrow(
      'two different trusted keys are named PeterNeumann+c74f20a3',
    );
    expect(openNote(peter.signedNote, [peterVerifier, peterVerifier]).verified).toHaveLength(1);
  });

  for (const [i, bad] of v.openMalformed.entries()) {
    it(`rejects malformed note ${i + 1}: ${bad.error}`, () => {
      const note = 'noteHex' in bad ? fromHex(bad.noteHex!) : bad.note!;
      expect(() => openNote(note, [peterVerifier])).toThrow(bad.error);
      expect(codeOf(() => parseNote(note))).toBe('MALFORMED_NOTE');
    });
  }
});

describe('parseNote', () => {
  it('splits the C2SP example at the last blank line (its text has one too)', () => {
    const { text, signatures } = parseNote(v.specExample.note);
    expect(text).toBe(v.specExample.text);
    expect(signatures.map((s) => s.name)).toEqual([v.specExample.name]);
    expect(signatures[0]!.signature).toHaveLength(64);
  });

  it('accepts 100 signature lines and no more', () => {
    expect(parseNote(`${peter.text}\n${peter.signatureLine.repeat(100)}`).signatures).toHaveLength(100);
    expect(() => parseNote(`${peter.text}\n${peter.signatureLine.repeat(101)}`)).toThrow(
      '101 signature lines',
    );
  });
});
