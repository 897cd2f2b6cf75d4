import { describe, expect, it } from 'vitest';
import {
  addNoteSignatures,
  cosignatureKeyId,
  cosignatureSigner,
  cosignatures,
  cosignedMessage,
  fromBase64,
  fromHex,
  openNote,
  parseCosignatureVerifierKey,
  parseNote,
  parseSignatureLines,
  parseVerifierKey,
  signatureLine,
  TlogError,
} from '../src/index.ts';
import v from './vectors/cosignature.json' with { type: 'json' };

// The vectors were made by filippo.io/torchwood v0.10.0 (test/interop/cosignature/main.go): its
// CosignatureSigner signed each checkpoint, its CosignatureVerifier opened the result.

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof TlogError ? err.code : `not a TlogError: ${String(err)}`;
  }
  return undefined;
}

describe('C2SP tlog-cosignature against torchwood', () => {
  for (const vec of v.vectors) {
    describe(vec.comment, () => {
      const witness = parseCosignatureVerifierKey(vec.witnessVkey);
      const signer = cosignatureSigner(vec.witnessName, fromHex(vec.witnessSeedHex));

      it('parses the witness vkey (type 0x04) and derives the same key ID and vkey from the seed', () => {
        expect(witness.name).toBe(vec.witnessName);
        expect(signer.vkey).toBe(vec.witnessVkey);
        expect(witness.vkey).toBe(vec.witnessVkey);
        expect(cosignatureKeyId(vec.witnessName, witness.publicKey)).toBe(
          Number.parseInt(vec.witnessVkey.split('+')[1]!, 16),
        );
      });

      it('signs the same bytes torchwood signed at the same timestamp (Ed25519 is deterministic)', () => {
        expect(signatureLine(signer.cosign(vec.checkpoint, vec.timestamp))).toBe(vec.signatureLine);
      });

      it("verifies torchwood's cosignature and reads its timestamp", () => {
        const [status] = cosignatures(vec.cosignedNote, [witness]);
        expect(status).toMatchObject({ status: 'cosigned', timestamp: vec.timestamp });
        // The log's own signature in the same note still opens with the note key (type 0x01).
        expect(openNote(vec.cosignedNote, [parseVerifierKey(vec.logVkey)]).text).toBe(vec.checkpoint);
      });
    });
  }

  it('signs exactly "cosignature/v1\\ntime <t>\\n" and the checkpoint text', () => {
    const text = v.vectors[0]!.checkpoint;
    expect(new TextDecoder().decode(cosignedMessage(text, 1679315147))).toBe(
      `cosignature/v1\ntime 1679315147\n${text}`,
    );
  });

  it('refuses a cosignature over other text, another timestamp, or by another witness', () => {
    const [a, b] = v.vectors as [(typeof v.vectors)[0], (typeof v.vectors)[0]];
    const wa = parseCosignatureVerifierKey(a.witnessVkey);
    const wb = parseCosignatureVerifierKey(b.witnessVkey);
    const sig = parseSignatureLines(a.signatureLine)[0]!.signature;
    expect(wa.verify(a.checkpoint, sig)).toBe(a.timestamp);
    expect(wa.verify(b.checkpoint, sig)).toBeUndefined();
    const later = Uint8Array.from(sig);
    later[7]! ^= 1; // the timestamp's last byte: the statement is about another time
    expect(wa.verify(a.checkpoint, later)).toBeUndefined();
    expect(wb.verify(a.checkpoint, sig)).toBeUndefined();
    expect(wa.verify(a.checkpoint, sig.subarray(8))).toBeUndefined(); // a bare Ed25519 signature
  });

  it('says which witnesses cosigned, which are missing, and which lines do not verify', () => {
    const [a, b, c] = v.vectors as [(typeof v.vectors)[0], (typeof v.vectors)[0], (typeof v.vectors)[0]];
    const wa = parseCosignatureVerifierKey(a.witnessVkey);
    const wb = parseCosignatureVerifierKey(b.witnessVkey);
    const wc = parseCosignatureVerifierKey(c.witnessVkey);
    // b's line keeps b's name and key ID but carries a's signature bytes: it claims b and fails.
    const forged = { ...parseSignatureLines(a.signatureLine)[0]!, name: wb.name, keyId: wb.keyId };
    const note = addNoteSignatures(a.cosignedNote, [forged]);
    expect(cosignatures(note, [wa, wb, wc]).map((s) => s.status)).toEqual(['cosigned', 'invalid', 'missing']);
  });

  it('adds cosignature lines to a note once, keeping the note well formed', () => {
    const a = v.vectors[0]!;
    const logOnly = a.cosignedNote.replace(a.signatureLine, '');
    const sig = parseSignatureLines(a.signatureLine);
    expect(addNoteSignatures(logOnly, sig)).toBe(a.cosignedNote);
    expect(addNoteSignatures(a.cosignedNote, sig)).toBe(a.cosignedNote);
    expect(parseNote(addNoteSignatures(logOnly, sig)).signatures).toHaveLength(2);
  });

  it('rejects malformed witness keys with a reason', () => {
    const good = v.vectors[0]!.witnessVkey;
    const [name, id, key] = good.split('+') as [string, string, string];
    const raw = fromBase64(key);
    const asType = (t: number) => `${name}+${id}+${Buffer.from([t, ...raw.subarray(1)]).toString('base64')}`;
    expect(() => parseCosignatureVerifierKey(asType(0x01))).toThrow(/unsupported signature type 0x01/);
    expect(() => parseCosignatureVerifierKey(`${name}+00000000+${key}`)).toThrow(
      /key ID 00000000 does not match/,
    );
    expect(() => parseCosignatureVerifierKey(`${name}+${id}`)).toThrow(/expected <name>\+<key id>\+<key>/);
    expect(() => parseCosignatureVerifierKey(`a b+${id}+${key}`)).toThrow(/invalid key name/);
    expect(codeOf(() => parseCosignatureVerifierKey(42 as unknown as string))).toBe('MALFORMED_KEY');
  });

  it('refuses to cosign what is not a checkpoint, or at a time that is not a POSIX time', () => {
    const signer = cosignatureSigner('w', new Uint8Array(32));
    expect(codeOf(() => signer.cosign('not a checkpoint\n', 1))).toBe('MALFORMED_CHECKPOINT');
    expect(codeOf(() => signer.cosign(v.vectors[0]!.checkpoint, -1))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => signer.cosign(v.vectors[0]!.checkpoint, 1.5))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => cosignedMessage(v.vectors[0]!.checkpoint, 2n ** 63n))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => cosignatureSigner('w', new Uint8Array(31)))).toBe('MALFORMED_KEY');
  });
});
