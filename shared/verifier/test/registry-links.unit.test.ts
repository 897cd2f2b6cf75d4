import { SigningKey } from '@rxledger/events';
import { fromHex, leafHash, toHex } from '@rxledger/tlog';
import { afterAll, describe, expect, it } from 'vitest';
import { type BundleReport, type CheckName, type ProvenanceBundle, verifyBundle } from '../src/index.ts';
import { editEntry } from './support/edit-leaf.ts';
import { GLN, pack, scenario } from './support/scenario.ts';
import { asV1Leaves } from './support/v1-leaves.ts';

const failures = (report: BundleReport) => report.checks.filter((c) => !c.ok);
const failed = (what: CheckName, index?: number, detail?: RegExp) =>
  expect.objectContaining({
    ok: false,
    what,
    ...(index === undefined ? {} : { index }),
    ...(detail === undefined ? {} : { detail: expect.stringMatching(detail) }),
  });
const withoutRegistry = (bundle: ProvenanceBundle, index: number): ProvenanceBundle => ({
  ...bundle,
  registry: bundle.registry.filter((e) => e.index !== index),
});

/**
 * The distributor rotates its key while it holds pack(1), one leaf per line (index: event):
 * 1 commission, 2 ship to the distributor, 3 AddKey (the new distributor key), 4 RevokeKey (the old
 * one), 5 receive and 6 ship to the pharmacy signed with the new key, 7 an unrelated registry change,
 * 8 the pharmacy receives.
 */
const ROTATION = { addKey: 3, revokeKey: 4, unrelated: 7, entries: [1, 2, 5, 6, 8] } as const;

describe('verifyBundle with LedgerEntry v2: registry leaves hash-linked per party and per key', () => {
  const newKey = SigningKey.generate();
  const s = scenario((c) => [
    c.event(c.maker, { type: 'COMMISSION', items: [pack(1)], lot: 'L1', expiry: '281231' } as never),
    c.event(c.maker, { type: 'SHIP', items: [pack(1)], to: GLN.distributor } as never),
    c.event(c.authority, {
      type: 'REGISTRY',
      changes: [
        {
          kind: 'AddKey',
          gln: GLN.distributor,
          keyId: newKey.keyId,
          publicKey: newKey.verifyingKey.bytes,
          validFrom: 0,
        },
      ],
    } as never),
    c.event(c.authority, {
      type: 'REGISTRY',
      changes: [
        {
          kind: 'RevokeKey',
          gln: GLN.distributor,
          keyId: c.distributor.keyId,
          revokedAt: 0,
          reason: 'rotated',
        },
      ],
    } as never),
    c.event(newKey, { type: 'RECEIVE', items: [pack(1)], from: GLN.maker } as never, GLN.distributor),
    c.event(newKey, { type: 'SHIP', items: [pack(1)], to: GLN.pharmacy } as never, GLN.distributor),
    c.event(c.authority, {
      type: 'REGISTRY',
      changes: [{ kind: 'SetRoles', gln: GLN.pharmacy2, roles: ['PHARMACY', 'DISTRIBUTOR'] }],
    } as never),
    c.event(c.pharmacy, { type: 'RECEIVE', items: [pack(1)], from: GLN.distributor } as never),
  ]);
  afterAll(() => s.close());
  const bundle = s.bundle(pack(1));
  const hex = (seq: number) => toHex(leafHash(s.store.leaf(seq)!.leaf));

  it('verifies the bundle unmodified, completeness proven by the links', () => {
    expect(bundle.entries.map((e) => e.index)).toEqual(ROTATION.entries);
    expect(bundle.registry.map((e) => e.index)).toEqual([0, 3, 4, 7]);
    const r = verifyBundle(bundle, s.trust);
    expect(failures(r)).toEqual([]);
    expect(r.checks.filter((c) => c.what === 'registry links').map((c) => c.index)).toEqual([0, 3, 4, 7]);
    expect(r.checks.filter((c) => c.what === 'signer links').map((c) => c.index)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    expect(r.checks.find((c) => c.what === 'registry completeness')?.detail).toMatch(
      /Proven by the links \(LedgerEntry v2\)/,
    );
  });

  it('fails a bundle that leaves out the RevokeKey, naming the missing leaf', () => {
    const r = verifyBundle(withoutRegistry(bundle, ROTATION.revokeKey), s.trust);
    const missing = new RegExp(
      `rxledger:party:${GLN.distributor}: link points at registry leaf ${hex(4)}, which the bundle leaves out`,
    );
    // Leaves 5 and 6 were signed after the revocation: their party's latest registry leaf is it.
    expect(failures(r)).toEqual([
      failed('signer links', 5, missing),
      failed('signer links', 6, missing),
      failed(
        'registry completeness',
        undefined,
        new RegExp(`leaves out registry leaves its links point at: ${hex(4)}$`),
      ),
    ]);
  });

  it('fails a bundle that leaves out the AddKey of the rotation', () => {
    const r = verifyBundle(withoutRegistry(bundle, ROTATION.addKey), s.trust);
    expect(failures(r)).toContainEqual(
      failed(
        'registry links',
        4,
        new RegExp(
          `rxledger:party:${GLN.distributor}: link points at registry leaf ${hex(3)}, which the bundle leaves out`,
        ),
      ),
    );
    expect(failures(r)).toContainEqual(
      failed(
        'signer links',
        5,
        new RegExp(`rxledger:key:${newKey.keyId}: link points at registry leaf ${hex(3)}`),
      ),
    );
    expect(failures(r)).toContainEqual(failed('registry completeness', undefined, new RegExp(hex(3))));
    expect(r.ok).toBe(false);
  });

  it('fails a leaf whose signer links point at a registry leaf the bundle does not carry', () => {
    const elsewhere = new Uint8Array(32).fill(0xab);
    const r = verifyBundle(
      s.bundle(pack(1), {
        rewrite: (seq, leaf) =>
          seq === 8 ? editEntry(leaf, (e) => ({ ...e, signerLinks: [elsewhere, e.signerLinks![1]!] })) : leaf,
      }),
      s.trust,
    );
    expect(failures(r)).toEqual([
      failed(
        'signer links',
        8,
        new RegExp(
          `rxledger:party:${GLN.pharmacy}: .*${toHex(elsewhere)}, which the bundle leaves out \\(after leaf 0\\)`,
        ),
      ),
      failed('registry completeness', undefined, new RegExp(toHex(elsewhere))),
    ]);
  });

  it('fails signer links that skip the revocation, pointing at an older registry leaf of the bundle', () => {
    const r = verifyBundle(
      s.bundle(pack(1), {
        rewrite: (seq, leaf) =>
          seq === 6
            ? editEntry(leaf, (e) => ({ ...e, signerLinks: [fromHex(hex(3)), e.signerLinks![1]!] }))
            : leaf,
      }),
      s.trust,
    );
    expect(failures(r)).toContainEqual(
      failed(
        'signer links',
        6,
        new RegExp(
          `rxledger:party:${GLN.distributor}: link points at leaf 3, but the latest registry leaf naming it before this one is leaf 4$`,
        ),
      ),
    );
  });

  it('checks the time window offline by the broker time the leaf carries', () => {
    const r = verifyBundle(
      s.bundle(pack(1), {
        rewrite: (seq, leaf) =>
          seq === 8 ? editEntry(leaf, (e) => ({ ...e, appendedAt: e.appendedAt! + 8 * 86_400_000 })) : leaf,
      }),
      s.trust,
    );
    expect(failures(r)).toEqual([failed('entry signature', 8, /^EVENT_TIME_TOO_OLD: /)]);
  });

  it('still verifies the same log served as v1 leaves, with the old words on completeness', () => {
    const v1 = s.bundle(pack(1), { rewrite: asV1Leaves(s.store) });
    const r = verifyBundle(v1, s.trust);
    expect(failures(r)).toEqual([]);
    expect(r.checks.some((c) => c.what === 'registry links' || c.what === 'signer links')).toBe(false);
    expect(r.checks.find((c) => c.what === 'registry completeness')?.detail).toMatch(
      /not that no other registry leaf exists below size 9: that rests on the bundle's word$/,
    );
    // The gap v2 closes: a v1 bundle without the RevokeKey verifies all the same.
    expect(failures(verifyBundle(withoutRegistry(v1, ROTATION.revokeKey), s.trust))).toEqual([]);
  });
});
