import { describe, expect, it } from 'vitest';
import {
  checkPair,
  consistencyProof,
  emptyRoot,
  generateNoteKey,
  isSignedCheckpoint,
  leafHash,
  MemoryHashStore,
  openSignedCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  proofSpan,
  signCheckpoint,
  signNote,
  TlogError,
  utf8,
} from '../src/index.ts';

const ORIGIN = 'split.test/log';
const nodeA = generateNoteKey(ORIGIN);
const nodeB = generateNoteKey(ORIGIN);
const trusted = [parseVerifierKey(nodeA.verifierKey), parseVerifierKey(nodeB.verifierKey)];

/** A log of `n` leaves "leaf i", with leaf `forkAt` (if given) replaced: another history. */
function log(n: number, forkAt?: number): MemoryHashStore {
  const store = new MemoryHashStore();
  store.append(
    Array.from({ length: n }, (_, i) => leafHash(utf8(i === forkAt ? `forged ${i}` : `leaf ${i}`))),
  );
  return store;
}
const at = (store: MemoryHashStore, size: number) => ({ origin: ORIGIN, size, root: store.root(size) });

describe('checkPair', () => {
  const honest = log(20);

  it('finds a prefix and its extension consistent, in either order, with the proof of the larger', () => {
    const proof = consistencyProof(honest, 7, 20);
    expect(checkPair(at(honest, 7), at(honest, 20), proof)).toEqual({ consistent: true });
    expect(checkPair(at(honest, 20), at(honest, 7), proof)).toEqual({ consistent: true });
    expect(checkPair(at(honest, 20), at(honest, 20))).toEqual({ consistent: true });
    expect(checkPair({ origin: ORIGIN, size: 0, root: emptyRoot() }, at(honest, 20))).toEqual({
      consistent: true,
    });
  });

  it('calls two roots at one size a fork at once, without any proof', () => {
    const verdict = checkPair(at(honest, 12), at(log(12, 3), 12));
    expect(verdict).toMatchObject({ consistent: false, check: 'same-size' });
    expect(verdict.consistent || verdict.reason).toMatch(/two roots at size 12/);
  });

  it('calls a larger checkpoint of a rewritten history inconsistent when its own proof fails', () => {
    const forked = log(20, 3);
    // The forked node proves from its own tree: a proof that leads to its root but not from the honest 7.
    const verdict = checkPair(at(honest, 7), at(forked, 20), consistencyProof(forked, 7, 20));
    expect(verdict).toMatchObject({ consistent: false, check: 'consistency-proof' });
    expect(verdict.consistent || verdict.reason).toMatch(/size 20 does not provably extend size 7/);
  });

  it('refuses a bad proof: a tampered hash, a truncated one, a wrong-length hash', () => {
    const proof = consistencyProof(honest, 7, 20);
    const tampered = proof.map((h, i) => (i === 0 ? h.map((b, j) => (j === 0 ? b ^ 1 : b)) : h));
    for (const bad of [tampered, proof.slice(1), [new Uint8Array(31), ...proof.slice(1)]]) {
      expect(checkPair(at(honest, 7), at(honest, 20), bad)).toMatchObject({
        consistent: false,
        check: 'consistency-proof',
      });
    }
  });

  it('refuses a size-0 checkpoint whose root is not the empty tree', () => {
    const verdict = checkPair({ origin: ORIGIN, size: 0, root: honest.root(1) }, at(honest, 5), []);
    expect(verdict).toMatchObject({ consistent: false, check: 'consistency-proof' });
  });

  it('throws, not judges, on pairs of two logs or a missing proof', () => {
    expect(() => checkPair(at(honest, 7), { ...at(honest, 7), origin: 'other/log' })).toThrow(
      /different logs/,
    );
    expect(() => checkPair(at(honest, 7), at(honest, 20))).toThrow(TlogError);
    expect(() => checkPair(at(honest, 7), at(honest, 20))).toThrow(/proof: a consistency proof from 7 to 20/);
  });

  it('names the span a proof must cover', () => {
    expect(proofSpan(at(honest, 20), at(honest, 7))).toEqual({ from: 7, to: 20 });
    expect(proofSpan(at(honest, 7), at(honest, 7))).toBeUndefined();
    expect(proofSpan({ origin: ORIGIN, size: 0, root: emptyRoot() }, at(honest, 7))).toBeUndefined();
  });
});

describe('openSignedCheckpoint', () => {
  const note = signCheckpoint(at(log(5), 5), parseSignerKey(nodeA.signerKey));

  it('opens a note signed by any trusted key and names the signer', () => {
    const seen = openSignedCheckpoint(note, trusted, ORIGIN);
    expect(isSignedCheckpoint(seen)).toBe(true);
    if (!isSignedCheckpoint(seen)) return;
    expect(seen.checkpoint.size).toBe(5);
    expect(seen.note).toBe(note);
    expect(seen.signers).toEqual([nodeA.verifierKey.split('+').slice(0, 2).join('+')]);
  });

  it('ignores cosignatures by keys it does not know', () => {
    const witness = parseSignerKey(generateNoteKey('witness.example').signerKey);
    const cosigned = signNote(note.slice(0, note.indexOf('\n\n') + 1), [
      witness,
      parseSignerKey(nodeA.signerKey),
    ]);
    expect(isSignedCheckpoint(openSignedCheckpoint(cosigned, trusted, ORIGIN))).toBe(true);
  });

  it('reports a bad signature, an untrusted signer, another log and a malformed note, never as evidence', () => {
    const [body, sig] = [note.slice(0, note.indexOf('\n\n') + 1), note.slice(note.indexOf('\n\n') + 1)];
    const altered = body.replace(/\n5\n/, '\n6\n') + sig;
    expect(openSignedCheckpoint(altered, trusted, ORIGIN)).toMatchObject({ code: 'BAD_SIGNATURE' });
    const stranger = signCheckpoint(at(log(5), 5), parseSignerKey(generateNoteKey(ORIGIN).signerKey));
    expect(openSignedCheckpoint(stranger, trusted, ORIGIN)).toMatchObject({ code: 'UNTRUSTED' });
    expect(openSignedCheckpoint(note, trusted, 'other/log')).toMatchObject({ code: 'OTHER_LOG' });
    expect(openSignedCheckpoint('not a note', trusted, ORIGIN)).toMatchObject({ code: 'MALFORMED' });
  });
});
