import {
  addNoteSignatures,
  cosignatureSigner,
  parseNote,
  parseSignatureLines,
  signatureLine,
} from '@rxledger/tlog';
import { afterAll, describe, expect, it } from 'vitest';
import { type BundleReport, formatReport, type ProvenanceBundle, verifyBundle } from '../src/index.ts';
import { journey, pack, scenario } from './support/scenario.ts';

// Three witnesses with fixed keys; their cosignatures are C2SP tlog-cosignature lines (the bytes
// match filippo.io/torchwood's: shared/tlog/test/cosignature.unit.test.ts).
const witnesses = ['w1', 'w2', 'w3'].map((n, i) =>
  cosignatureSigner(`witness.test/${n}`, new Uint8Array(32).fill(i + 1)),
);
const [w1, w2, w3] = witnesses as [(typeof witnesses)[0], (typeof witnesses)[0], (typeof witnesses)[0]];
const T = 1796310833;
const AT = new Date(T * 1000).toISOString();

const witnessCheck = (r: BundleReport) => r.checks.find((c) => c.what === 'witness cosignatures');

function cosign(bundle: ProvenanceBundle, by: typeof witnesses): ProvenanceBundle {
  const { text } = parseNote(bundle.checkpoint);
  const lines = by.map((w) => w.cosign(text, T));
  return { ...bundle, checkpoint: addNoteSignatures(bundle.checkpoint, lines) };
}

/** The bundle with `who`'s cosignature line taken out of its checkpoint. */
function withoutCosignature(bundle: ProvenanceBundle, who: (typeof witnesses)[0]): ProvenanceBundle {
  const line = parseNote(bundle.checkpoint).signatures.find((s) => s.name === who.name)!;
  return { ...bundle, checkpoint: bundle.checkpoint.replace(signatureLine(line), '') };
}

describe('a witness policy in the trust anchors', () => {
  const s = scenario(journey);
  const plain = s.bundle(pack(1));
  const cosigned = cosign(plain, [w1, w2, w3]);
  afterAll(() => s.close());

  it('verifies a bundle offline under a 2-of-3 policy and says which witnesses cosigned', () => {
    const policy = { quorum: 2, keys: [w1.vkey, w2.vkey, w3.vkey] };
    const report = verifyBundle(withoutCosignature(cosigned, w3), { ...s.trust, witnesses: policy });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.witnesses).toEqual({
      quorum: 2,
      of: 3,
      cosigned: [
        { name: w1.name, vkey: w1.vkey, time: new Date(T * 1000).toISOString() },
        { name: w2.name, vkey: w2.vkey, time: new Date(T * 1000).toISOString() },
      ],
      missing: [w3.name],
      invalid: [],
    });
    expect(formatReport(report)).toContainEqual(
      `✓ witness cosignatures: 2 of 3 witnesses cosigned, the policy needs 2; cosigned by witness.test/w1 at ${AT}, witness.test/w2 at ${AT}; no cosignature by witness.test/w3`,
    );
  });

  it('fails under a 2-of-2 policy when one cosignature is removed, naming the missing witness', () => {
    const policy = { quorum: 2, keys: [w1.vkey, w2.vkey] };
    expect(verifyBundle(cosigned, { ...s.trust, witnesses: policy }).ok).toBe(true);
    const report = verifyBundle(withoutCosignature(cosigned, w2), { ...s.trust, witnesses: policy });
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => !c.ok)).toEqual([
      {
        ok: false,
        what: 'witness cosignatures',
        detail: `1 of 2 witnesses cosigned, the policy needs 2; cosigned by witness.test/w1 at ${AT}; no cosignature by witness.test/w2`,
      },
    ]);
  });

  it('does not count a line that claims a witness but does not verify', () => {
    const forged = parseSignatureLines(signatureLine(w1.cosign(parseNote(plain.checkpoint).text, T)))[0]!;
    const bundle = {
      ...plain,
      checkpoint: addNoteSignatures(plain.checkpoint, [{ ...forged, name: w2.name, keyId: w2.keyId }]),
    };
    const report = verifyBundle(bundle, { ...s.trust, witnesses: { quorum: 1, keys: [w2.vkey] } });
    expect(report.ok).toBe(false);
    expect(witnessCheck(report)?.detail).toMatch(/a cosignature that does not verify by witness\.test\/w2/);
  });

  it('keeps old bundles verifying when the anchors have no witness policy', () => {
    for (const bundle of [plain, cosigned]) {
      const report = verifyBundle(bundle, s.trust);
      expect(report.ok).toBe(true);
      expect(witnessCheck(report)).toMatchObject({
        ok: true,
        detail: expect.stringMatching(/^no witness policy/),
      });
    }
  });

  it('refuses a malformed policy as a bad trust anchor', () => {
    const trust = (witnesses: unknown) => ({ ...s.trust, witnesses }) as never;
    expect(() => verifyBundle(plain, trust({ quorum: 3, keys: [w1.vkey, w2.vkey] }))).toThrow(
      /quorum must be a whole number from 1 to 2, got 3/,
    );
    expect(() => verifyBundle(plain, trust({ quorum: 1, keys: [w1.vkey, w1.vkey] }))).toThrow(/listed twice/);
    expect(() => verifyBundle(plain, trust({ quorum: 1, keys: ['nope'] }))).toThrow(/keys\[0\]: witness key/);
  });
});
