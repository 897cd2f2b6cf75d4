import { KeyError, SCHEMAS, SigningKey } from '@rxledger/events';
import { formatVerifierKey, fromBase64, leafHash, TlogError } from '@rxledger/tlog';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BundleReport,
  CHECK_NAMES,
  type CheckName,
  type ProvenanceBundle,
  verifyBundle,
} from '../src/index.ts';
import { editEntry, editSigned, eventIn, resign } from './support/edit-leaf.ts';
import { GLN, JOURNEY, journey, ORIGIN, pack, scenario, sscc } from './support/scenario.ts';

const failures = (report: BundleReport) => report.checks.filter((c) => !c.ok);
const without = (bundle: ProvenanceBundle, index: number): ProvenanceBundle => ({
  ...bundle,
  entries: bundle.entries.filter((e) => e.index !== index),
});
const failed = (what: CheckName, index?: number, detail?: RegExp) =>
  expect.objectContaining({
    ok: false,
    what,
    ...(index === undefined ? {} : { index }),
    ...(detail === undefined ? {} : { detail: expect.stringMatching(detail) }),
  });

describe('verifyBundle on a bundle the ledger serves', () => {
  const s = scenario(journey);
  const bundle = s.bundle(pack(1));
  const report = verifyBundle(bundle, s.trust);
  afterAll(() => s.close());

  it('verifies a whole journey: every check passes, in the documented order', () => {
    expect(failures(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(bundle.entries.map((e) => e.index)).toEqual(JOURNEY.entries);
    expect(bundle.registry.map((e) => e.index)).toEqual(JOURNEY.registry);
    const order = report.checks.map((c) => CHECK_NAMES.indexOf(c.what));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(report.checks.map((c) => c.what))).toEqual(new Set(CHECK_NAMES));
    // One per leaf for each per-leaf check, one per schema, one per chain (item, case, pallet).
    const count = (what: CheckName) => report.checks.filter((c) => c.what === what).length;
    expect(count('entry inclusion')).toBe(11);
    expect(count('entry signature')).toBe(11);
    expect(count('registry signature')).toBe(2);
    expect(count('leaf seq')).toBe(13);
    // LedgerEntry v2: one registry links check per registry leaf, one signer links check per leaf.
    expect(count('registry links')).toBe(2);
    expect(count('signer links')).toBe(13);
    // Custody event, signed event, ledger entry v1 and v2.
    // A node's bundle carries every schema it reads.
    expect(count('schema fingerprint')).toBe(SCHEMAS.length);
    expect(count('hash links')).toBe(3);
    expect(report.checkpoint).toMatchObject({ origin: ORIGIN, size: 15 });
  });

  it('gives the timeline from the leaves, at the original offsets, saying what each event did', () => {
    expect(report.timeline.map((t) => t.index)).toEqual(JOURNEY.entries);
    expect(report.timeline.every((t) => t.verified)).toBe(true);
    expect(report.timeline[0]).toMatchObject({
      type: 'COMMISSION',
      eventTime: '2026-06-01T10:00:01+02:00',
      party: GLN.maker,
      site: GLN.maker,
      effect: 'commissioned (lot L1, expiry 281231)',
    });
    expect(report.timeline.map((t) => t.effect)).toEqual([
      'commissioned (lot L1, expiry 281231)',
      `packed into ${sscc(1)}`,
      `${sscc(1)} packed into ${sscc(2)}`,
      `shipped to ${GLN.distributor} via ${sscc(2)}`,
      `received from ${GLN.maker} via ${sscc(2)}`,
      `${sscc(2)} unpacked (all items)`,
      `unpacked from ${sscc(1)}`,
      `shipped to ${GLN.pharmacy}`,
      `received from ${GLN.distributor}`,
      'dispensed',
      'recall of GTIN 00614141123452 lot L1: label error',
    ]);
    expect(report.registry.map((t) => [t.index, t.type])).toEqual([
      [0, 'REGISTRY'],
      [5, 'REGISTRY'],
    ]);
  });

  it("never reads the bundle's timeline", () => {
    const lying = { ...bundle, timeline: [{ index: 1, type: 'DISPENSE' }], status: 'whatever' };
    expect(verifyBundle(lying, s.trust)).toEqual(report);
  });

  it('takes the authority key as a VerifyingKey, and needs no origin', () => {
    const trust = { checkpointKey: s.trust.checkpointKey, authorityKey: s.chain.authority.verifyingKey };
    expect(verifyBundle(bundle, trust).ok).toBe(true);
  });

  it("verifies a container's bundle, and one proven against an older checkpoint", () => {
    expect(failures(verifyBundle(s.bundle(sscc(1)), s.trust))).toEqual([]);
    const older = s.bundle(pack(1), { size: 12 });
    expect(older.entries.map((e) => e.index)).toEqual([1, 3, 4, 6, 8, 9, 10, 11]);
    expect(failures(verifyBundle(older, s.trust))).toEqual([]);
  });

  it('says what cannot be proven: later leaves of the item and registry completeness', () => {
    const detail = (what: CheckName) => report.checks.find((c) => c.what === what && c.ok)?.detail;
    expect(detail('registry completeness')).toMatch(
      /^registry leaves at 0, 5, the genesis at 0\. Proven by the links \(LedgerEntry v2\)/,
    );
    expect(detail('hash links')).toMatch(/no later leaf naming it can be ruled out/);
  });

  it("fails the link check when an entry in the middle of the item's chain is missing", () => {
    const r = verifyBundle(without(bundle, 11), s.trust);
    expect(failures(r)).toEqual([failed('hash links', 12, /between 10 and 12 is missing/)]);
    expect(r.timeline.find((t) => t.index === 12)?.verified).toBe(false);
  });

  it("fails the link check when the item's first entry is missing", () => {
    expect(failures(verifyBundle(without(bundle, 1), s.trust))).toEqual([
      failed('hash links', 3, /first entry links to a leaf outside the bundle/),
    ]);
  });

  it("fails the link check when a container's entry is missing while the item was inside", () => {
    expect(failures(verifyBundle(without(bundle, 6), s.trust))).toEqual([
      failed('hash links', 8, new RegExp(`container ${sscc(2)}: .*between 4 and 8 is missing`)),
    ]);
  });

  it('fails with the wrong authority key: the genesis is not by the trust anchor', () => {
    const r = verifyBundle(bundle, { ...s.trust, authorityKey: s.chain.outsider.verifyingKey.bytes });
    expect(r.ok).toBe(false);
    expect(failures(r)).toContainEqual(
      failed('registry signature', 0, /NO_GENESIS: .*signed by the authority key/),
    );
    expect(failures(r)).toContainEqual(failed('registry completeness'));
    for (const index of JOURNEY.entries) expect(failures(r)).toContainEqual(failed('entry signature', index));
  });

  it('fails with the wrong checkpoint key, and proves nothing against that checkpoint', () => {
    const other = formatVerifierKey(ORIGIN, SigningKey.generate().verifyingKey.bytes);
    const r = verifyBundle(bundle, { ...s.trust, checkpointKey: other });
    expect(failures(r)[0]).toEqual(failed('checkpoint', undefined, /no signature by a trusted key/));
    expect(failures(r)).toContainEqual(failed('entry inclusion', 1, /no verified checkpoint/));
    expect(r.checkpoint).toBeUndefined();
    expect(r.timeline.every((t) => !t.verified)).toBe(true);
  });

  it('fails a checkpoint for another origin', () => {
    const r = verifyBundle(bundle, { ...s.trust, origin: 'another.log' });
    expect(failures(r)[0]).toEqual(failed('checkpoint', undefined, /expected "another.log"/));
  });

  it('fails a schema that does not match its fingerprint, and a bundle without its schemas', () => {
    const [fp, schema] = Object.entries(bundle.schemas)[0]!;
    const renamed = { ...(schema as object), name: 'Other' };
    expect(
      failures(verifyBundle({ ...bundle, schemas: { ...bundle.schemas, [fp]: renamed } }, s.trust)),
    ).toEqual([
      failed(
        'schema fingerprint',
        undefined,
        new RegExp(`^${fp}: the schema's canonical form has fingerprint`),
      ),
    ]);
    const r = verifyBundle({ ...bundle, schemas: {} }, s.trust);
    expect(failures(r)).toHaveLength(13);
    expect(failures(r)[0]).toEqual(failed('leaf decoding', 0, /the bundle's schemas lack [0-9a-f]{16}/));
  });

  it('fails a registry list without the genesis', () => {
    const r = verifyBundle({ ...bundle, registry: bundle.registry.slice(1) }, s.trust);
    expect(failures(r)).toContainEqual(failed('registry signature', 5, /UNKNOWN_PARTY \(changes\[0\]\)/));
    expect(failures(r)).toContainEqual(failed('registry completeness', undefined, /starts at 5/));
  });

  it('fails a REGISTRY leaf passed off as an entry', () => {
    const r = verifyBundle(
      {
        ...bundle,
        entries: [...bundle.entries.slice(0, 3), bundle.registry[1]!, ...bundle.entries.slice(3)],
        registry: [bundle.registry[0]!],
      },
      s.trust,
    );
    expect(failures(r)).toContainEqual(
      failed('registry completeness', 5, /REGISTRY leaves among the entries/),
    );
  });

  it('throws, before reading the bundle, on a malformed trust anchor', () => {
    expect(() => verifyBundle(bundle, { ...s.trust, checkpointKey: 'nonsense' })).toThrow(TlogError);
    expect(() => verifyBundle(bundle, { ...s.trust, authorityKey: new Uint8Array(31) })).toThrow(KeyError);
  });
});

describe('verifyBundle after the signer key is revoked', () => {
  const s = scenario(journey);
  afterAll(() => s.close());

  it('keeps entries appended before a revocation valid, whatever revokedAt says (key validity by log order)', () => {
    const dispense = s.bundle(pack(1)).entries.find((e) => e.index === JOURNEY.dispense)!;
    const time = eventIn(fromBase64(dispense.leaf)).eventTime;
    s.fold([
      s.chain.event(s.chain.authority, {
        type: 'REGISTRY',
        changes: [
          {
            kind: 'RevokeKey',
            gln: GLN.pharmacy,
            keyId: s.chain.pharmacy.keyId,
            revokedAt: time - 1,
            reason: 'key stolen',
          },
        ],
      } as never),
    ]);
    const bundle = s.bundle(pack(1));
    expect(bundle.registry.map((e) => e.index)).toEqual([0, 5, 15]);
    const r = verifyBundle(bundle, s.trust);
    // The ledger appended the DISPENSE before the revocation: it was valid then and stays valid, as the
    // fold judged it. What the revoked key signs after leaf 15 is refused (admission.unit.test.ts).
    expect(failures(r)).toEqual([]);
    expect(r.timeline.find((t) => t.index === JOURNEY.dispense)?.verified).toBe(true);
  });
});

describe('verifyBundle against a dishonest ledger (leaves altered, tree and checkpoint rebuilt over them)', () => {
  const s = scenario(journey);
  afterAll(() => s.close());
  const dishonest = (seq: number, change: (leaf: Uint8Array) => Uint8Array) =>
    verifyBundle(s.bundle(pack(1), { rewrite: (at, leaf) => (at === seq ? change(leaf) : leaf) }), s.trust);

  it('fails an entry whose seq is not its index', () => {
    const r = dishonest(13, (leaf) => editEntry(leaf, (e) => ({ ...e, seq: 99 })));
    expect(failures(r)).toEqual([failed('leaf seq', 13, /leaf says seq 99, but is proven at index 13/)]);
  });

  it('fails an entry whose signature does not verify', () => {
    const r = dishonest(13, (leaf) =>
      editSigned(leaf, (signed) => ({
        ...signed,
        signature: signed.signature.map((b, i) => (i === 5 ? b ^ 4 : b)),
      })),
    );
    expect(failures(r)).toEqual([failed('entry signature', 13, /BAD_SIGNATURE/)]);
  });

  it('fails an entry signed by a key the registry does not know', () => {
    const r = dishonest(13, (leaf) => resign(leaf, s.chain.outsider));
    // Its signer link for the key still points at the genesis, which never named the outsider's key.
    expect(failures(r)).toEqual([
      failed('signer links', 13, /^rxledger:key:[0-9a-f]{16}: link points at leaf 0, but .* is none$/),
      failed('registry completeness', undefined, /not proven: the links of leaves 13 do not match/),
      failed('entry signature', 13, /UNKNOWN_KEY/),
    ]);
  });

  it('fails an entry by a party not entitled to its type', () => {
    const r = dishonest(13, (leaf) =>
      resign(leaf, s.chain.distributor, (e) => ({ ...e, party: GLN.distributor, site: GLN.distributor })),
    );
    // The distributor's latest registry leaf before 13 is the AddKey at 5, not what the links say.
    expect(failures(r)).toContainEqual(
      failed('entry signature', 13, /ROLE_NOT_ENTITLED: DISPENSE needs role PHARMACY/),
    );
    expect(failures(r)).toContainEqual(
      failed(
        'signer links',
        13,
        new RegExp(`rxledger:party:${GLN.distributor}: link points at leaf 0, .* is leaf 5`),
      ),
    );
  });

  it('fails a link that skips a leaf naming the item', () => {
    const first = leafHash(s.store.leaf(1)!.leaf);
    const r = dishonest(12, (leaf) => editEntry(leaf, (e) => ({ ...e, links: [first] })));
    // Leaf 12 changed, so leaf 13's honest link to it now points outside the bundle too.
    expect(failures(r)).toEqual([
      failed('hash links', 12, /link points at leaf 1, but the previous leaf naming .* is 11/),
      failed('hash links', 13, /between 12 and 13 is missing/),
    ]);
  });

  it('fails a leaf with a link for an item the event does not name', () => {
    const r = dishonest(12, (leaf) => editEntry(leaf, (e) => ({ ...e, links: [...e.links, null] })));
    expect(failures(r)).toContainEqual(failed('leaf decoding', 12, /2 links for the 1 items/));
  });
});

describe('verifyBundle when an item leaves a container and comes back', () => {
  // 1 commission, 2 pack p1 into case, 3 unpack p1, 4 pack p3 into the case (p1 outside),
  // 5 pack p1 into the case again, 6 ship the case, 7 receive it.
  const s = scenario((c) => [
    c.event(c.maker, {
      type: 'COMMISSION',
      items: [pack(1), pack(3), sscc(1)],
      lot: 'L1',
      expiry: '281231',
    } as never),
    c.event(c.maker, { type: 'AGGREGATE', parent: sscc(1), children: [pack(1)] } as never),
    c.event(c.maker, { type: 'DISAGGREGATE', parent: sscc(1), children: [pack(1)] } as never),
    c.event(c.maker, { type: 'AGGREGATE', parent: sscc(1), children: [pack(3)] } as never),
    c.event(c.maker, { type: 'AGGREGATE', parent: sscc(1), children: [pack(1)] } as never),
    c.event(c.maker, { type: 'SHIP', items: [sscc(1)], to: GLN.distributor } as never),
    c.event(c.distributor, { type: 'RECEIVE', items: [sscc(1)], from: GLN.maker } as never),
  ]);
  afterAll(() => s.close());

  it("accepts the case's chain resuming after the pack was out of it", () => {
    const bundle = s.bundle(pack(1));
    expect(bundle.entries.map((e) => e.index)).toEqual([1, 2, 3, 5, 6, 7]);
    const r = verifyBundle(bundle, s.trust);
    expect(failures(r)).toEqual([]);
    expect(r.checks).toContainEqual(
      expect.objectContaining({
        what: 'hash links',
        detail: expect.stringMatching(/continues from history outside the bundle at 5/),
      }),
    );
  });

  it('says which entries no chain covers: a pallet the case was on before the pack went in', () => {
    const t = scenario((c) => [
      c.event(c.maker, {
        type: 'COMMISSION',
        items: [pack(1), sscc(1), sscc(2)],
        lot: 'L',
        expiry: '281231',
      } as never),
      c.event(c.maker, { type: 'AGGREGATE', parent: sscc(2), children: [sscc(1)] } as never),
      c.event(c.maker, { type: 'AGGREGATE', parent: sscc(1), children: [pack(1)] } as never),
      c.event(c.maker, { type: 'SHIP', items: [sscc(2)], to: GLN.distributor } as never),
    ]);
    const bundle = t.bundle(pack(1));
    expect(bundle.entries.map((e) => e.index)).toEqual([1, 3, 4]);
    const r = verifyBundle(bundle, t.trust);
    expect(failures(r)).toEqual([]);
    expect(r.checks).toContainEqual(
      expect.objectContaining({
        what: 'hash links',
        detail: expect.stringMatching(/; entry 4 names neither it/),
      }),
    );
    t.close();
  });

  it("still fails a gap in the case's chain while the pack was inside", () => {
    const r = verifyBundle(without(s.bundle(pack(1)), 6), s.trust);
    expect(failures(r)).toEqual([
      failed('hash links', 7, new RegExp(`container ${sscc(1)}: .*between 5 and 7`)),
    ]);
  });
});
