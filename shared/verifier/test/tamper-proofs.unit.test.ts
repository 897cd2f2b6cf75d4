// "Fails when any byte of the checkpoint or of any proof changes": one bit flipped at every byte of
// the signed checkpoint note, and in every hash of every inclusion proof.
import { fromBase64, toBase64, utf8 } from '@rxledger/tlog';
import { afterAll, describe, expect, it } from 'vitest';
import { type ProvenanceBundle, verifyBundle } from '../src/index.ts';
import { memoizeNobleVerify } from './support/memo-signatures.ts';
import { pack, scenario, shortJourney } from './support/scenario.ts';

memoizeNobleVerify();

describe('a bundle with one bit of its checkpoint or a proof flipped', () => {
  const s = scenario(shortJourney);
  const bundle = s.bundle(pack(1));
  afterAll(() => s.close());

  it('fails at every byte of the checkpoint, naming the checkpoint', () => {
    const note = utf8(bundle.checkpoint);
    // Lenient decoding on purpose: a flip that breaks UTF-8 must still reach the verifier as text.
    const decoder = new TextDecoder();
    for (let at = 0; at < note.length; at++) {
      const flipped = Uint8Array.from(note);
      flipped[at]! ^= 1 << (at % 8);
      const bad = { ...bundle, checkpoint: decoder.decode(flipped) };
      expect(bad.checkpoint).not.toBe(bundle.checkpoint);
      const report = verifyBundle(bad, s.trust);
      expect(report.ok, `byte ${at}`).toBe(false);
      // A flip in the size line may make an index exceed the (unverified) size: a shape error then.
      const first = report.checks.find((c) => !c.ok);
      expect(['checkpoint', 'bundle shape'], `byte ${at}: ${first?.detail}`).toContain(first?.what);
      expect(report.checkpoint, `byte ${at}`).toBeUndefined();
    }
    expect(note.length).toBeGreaterThan(150);
  }, 30_000);

  for (const list of ['entries', 'registry'] as const) {
    it(`fails for a flipped bit in every proof hash of ${list}, at that leaf's inclusion proof`, () => {
      const what = list === 'entries' ? 'entry inclusion' : 'registry inclusion';
      let flips = 0;
      bundle[list].forEach((entry, k) => {
        entry.proof.forEach((hash, j) => {
          for (const at of [0, 17, 31]) {
            const bad = structuredClone(bundle) as ProvenanceBundle;
            const flipped = fromBase64(hash);
            flipped[at]! ^= 1 << ((j + at) % 8);
            bad[list][k]!.proof[j] = toBase64(flipped);
            const failed = verifyBundle(bad, s.trust).checks.filter((c) => !c.ok);
            expect(failed, `${list}[${k}].proof[${j}] byte ${at}`).toEqual([
              expect.objectContaining({ what, index: entry.index }),
            ]);
            flips++;
          }
        });
      });
      expect(flips).toBeGreaterThanOrEqual(list === 'entries' ? 30 : 6);
    });
  }

  it('fails for a proof with a hash dropped or added', () => {
    const short = structuredClone(bundle) as ProvenanceBundle;
    short.entries[2]!.proof.pop();
    const long = structuredClone(bundle) as ProvenanceBundle;
    long.entries[2]!.proof.push(long.entries[2]!.proof[0]!);
    for (const bad of [short, long]) {
      const failed = verifyBundle(bad, s.trust).checks.filter((c) => !c.ok);
      expect(failed).toEqual([
        expect.objectContaining({
          what: 'entry inclusion',
          index: 3,
          detail: expect.stringMatching(/needs 3/),
        }),
      ]);
    }
  });
});
