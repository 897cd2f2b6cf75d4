// Builds the golden wire vectors of DESIGN.md §4 from fixed inputs: the bytes other programs verify
// (signing payload, SignedEvent, LedgerEntry, leaf hash, Merkle roots, C2SP checkpoints). The frozen
// output is wire.json (LedgerEntry v1) and wire-v2.json (LedgerEntry v2: broker time, registry links,
// signer links) beside this file; wire.unit.test.ts rebuilds both and compares byte for byte, so a
// refactor that shifts one byte of a contract fails. Regenerate only on a deliberate, versioned change:
//   npx tsx test/golden/generate-wire-vectors.ts
import {
  type CustodyEvent,
  encodeCustodyEvent,
  encodeLedgerEntry,
  encodeSignedEvent,
  linkSubjects,
  namedItems,
  nobleEd25519,
  SigningKey,
  signEvent,
  signerSubjects,
  signingPayload,
} from '@rxledger/events';
import {
  ed25519Signer,
  formatCheckpoint,
  formatVerifierKey,
  fromHex,
  leafHash,
  merkleTreeHash,
  signCheckpoint,
  toBase64,
  toHex,
} from '@rxledger/tlog';

export interface WireVectors {
  description: string;
  keys: Record<string, { seed: string; publicKey: string; keyId: string }>;
  checkpointKey: { name: string; seed: string; vkey: string };
  events: Array<{
    name: string;
    signer: string;
    /** The event as data; byte arrays are written as { "hex": "..." }. */
    event: unknown;
    eventBytes: string;
    signingPayload: string;
    signature: string;
    signedEvent: string;
  }>;
  leaves: Array<{ seq: number; items: string[]; links: (string | null)[]; leaf: string; leafHash: string }>;
  checkpoints: Array<{ size: number; root: string; note: string }>;
}

export const GLN = {
  authority: '9520000000004',
  manufacturer: '4012345000009',
  plant: '4012345000016',
  distributor: '9501101530003',
  warehouse: '9501101530010',
  pharmacy: '9520000000011',
  counter: '9520000000028',
} as const;
export const GTIN = '04012345123456';
const PACK_A = `https://id.gs1.org/01/${GTIN}/21/SN0001`;
// A serial with characters that Digital Link percent-encodes.
const PACK_B = `https://id.gs1.org/01/${GTIN}/21/A%2FB%25C`;
const CASE = 'https://id.gs1.org/00/040123450000000016';
export const T0 = Date.UTC(2025, 0, 15, 9, 30, 0);
export const ORIGIN = 'golden.rxledger.example/custody/main';

export const seedOf = (b: number) => new Uint8Array(32).fill(b);
export const SEEDS = { authority: 1, manufacturer: 2, distributor: 3, pharmacy: 4 } as const;
// v2 adds the distributor's next key, so its vectors show a rotation after the revocation.
const SEEDS_V2 = { ...SEEDS, distributorNext: 5 } as const;
type Signer = keyof typeof SEEDS_V2;
type GoldenEvent<S extends Signer = Signer> = { name: string; signer: S; event: CustodyEvent };

function goldenEvents(keys: Record<keyof typeof SEEDS, SigningKey>): GoldenEvent<keyof typeof SEEDS>[] {
  const at = (party: string, site: string, n: number, offset = 60) => ({
    eventId: `golden-${n}`,
    eventTime: T0 + n * 60_000,
    eventTimeOffsetMinutes: offset,
    party,
    site,
  });
  const addKey = (gln: string, key: SigningKey) => ({
    kind: 'AddKey' as const,
    gln,
    keyId: key.keyId,
    publicKey: key.verifyingKey.bytes,
    validFrom: T0 - 86_400_000,
  });
  const party = (
    gln: string,
    name: string,
    roles: Array<'AUTHORITY' | 'REGULATOR' | 'MANUFACTURER' | 'DISTRIBUTOR' | 'PHARMACY'>,
    companyPrefixes: string[] = [],
  ) => ({
    kind: 'AddParty' as const,
    gln,
    name,
    roles,
    companyPrefixes,
  });
  const m = (n: number) => at(GLN.manufacturer, GLN.plant, n);
  return [
    {
      name: 'genesis',
      signer: 'authority',
      event: {
        ...at(GLN.authority, GLN.authority, 0, 0),
        type: 'REGISTRY',
        changes: [
          party(GLN.authority, 'Registry Authority', ['AUTHORITY', 'REGULATOR']),
          addKey(GLN.authority, keys.authority),
          party(GLN.manufacturer, 'Acme Pharma', ['MANUFACTURER'], ['4012345']),
          addKey(GLN.manufacturer, keys.manufacturer),
          party(GLN.distributor, 'Wholesale AG', ['DISTRIBUTOR']),
          addKey(GLN.distributor, keys.distributor),
          party(GLN.pharmacy, 'Corner Pharmacy', ['PHARMACY']),
          addKey(GLN.pharmacy, keys.pharmacy),
        ],
      },
    },
    {
      name: 'commission',
      signer: 'manufacturer',
      event: { ...m(1), type: 'COMMISSION', items: [PACK_A, PACK_B, CASE], lot: 'LOT-42', expiry: '271200' },
    },
    {
      name: 'aggregate',
      signer: 'manufacturer',
      event: { ...m(2), type: 'AGGREGATE', parent: CASE, children: [PACK_A, PACK_B] },
    },
    {
      name: 'ship',
      signer: 'manufacturer',
      event: { ...m(3), type: 'SHIP', items: [CASE], to: GLN.distributor },
    },
    {
      name: 'receive',
      signer: 'distributor',
      event: {
        ...at(GLN.distributor, GLN.warehouse, 4, -300),
        type: 'RECEIVE',
        items: [CASE],
        from: GLN.manufacturer,
      },
    },
    {
      name: 'disaggregate-all',
      signer: 'distributor',
      event: {
        ...at(GLN.distributor, GLN.warehouse, 5, -300),
        type: 'DISAGGREGATE',
        parent: CASE,
        children: [],
      },
    },
    {
      name: 'ship-packs',
      signer: 'distributor',
      event: {
        ...at(GLN.distributor, GLN.warehouse, 6, -300),
        type: 'SHIP',
        items: [PACK_A, PACK_B],
        to: GLN.pharmacy,
      },
    },
    {
      name: 'receive-packs',
      signer: 'pharmacy',
      event: {
        ...at(GLN.pharmacy, GLN.counter, 7, 330),
        type: 'RECEIVE',
        items: [PACK_A, PACK_B],
        from: GLN.distributor,
      },
    },
    {
      name: 'dispense',
      signer: 'pharmacy',
      event: { ...at(GLN.pharmacy, GLN.counter, 8, 330), type: 'DISPENSE', items: [PACK_A] },
    },
    {
      name: 'decommission',
      signer: 'pharmacy',
      event: {
        ...at(GLN.pharmacy, GLN.counter, 9, 330),
        type: 'DECOMMISSION',
        items: [PACK_B],
        reason: 'damaged',
      },
    },
    {
      name: 'recall',
      signer: 'manufacturer',
      event: { ...m(10), type: 'RECALL', gtin: GTIN, lot: 'LOT-42', reason: 'Contamination found in lot' },
    },
    {
      name: 'registry-changes',
      signer: 'authority',
      event: {
        ...at(GLN.authority, GLN.authority, 11, 0),
        type: 'REGISTRY',
        changes: [
          { kind: 'SetRoles', gln: GLN.pharmacy, roles: ['PHARMACY', 'DISTRIBUTOR'] },
          { kind: 'SetCompanyPrefixes', gln: GLN.manufacturer, companyPrefixes: ['4012345', '4099999'] },
          {
            kind: 'RevokeKey',
            gln: GLN.distributor,
            keyId: keys.distributor.keyId,
            revokedAt: T0 + 11 * 60_000,
            reason: 'lost laptop',
          },
        ],
      },
    },
  ];
}

/** Byte arrays as { hex }, so the vectors are plain JSON. */
export function eventAsData(event: CustodyEvent): unknown {
  return JSON.parse(JSON.stringify(event, (_k, v) => (v instanceof Uint8Array ? { hex: toHex(v) } : v)));
}

/** Every vector, computed afresh from the fixed inputs above. */
export function buildWireVectors(): WireVectors {
  const keys = keysOf(SEEDS);
  const checkpointSeed = seedOf(9);
  const checkpointSigner = ed25519Signer(ORIGIN, checkpointSeed);

  const events: WireVectors['events'] = [];
  const leaves: WireVectors['leaves'] = [];
  const leafBytes: Uint8Array[] = [];
  const heads = new Map<string, Uint8Array>();
  for (const { name, signer, event } of goldenEvents(keys)) {
    const eventBytes = encodeCustodyEvent(event);
    const signed = signEvent(nobleEd25519, keys[signer], eventBytes);
    const record = encodeSignedEvent(signed);
    events.push({
      name,
      signer,
      event: eventAsData(event),
      eventBytes: toHex(eventBytes),
      signingPayload: toHex(signingPayload(eventBytes)),
      signature: toHex(signed.signature),
      signedEvent: toHex(record),
    });
    const items = namedItems(event);
    const links = items.map((item) => heads.get(item) ?? null);
    const leaf = encodeLedgerEntry({ seq: leaves.length, signedEvent: record, links });
    const hash = leafHash(leaf);
    for (const item of items) heads.set(item, hash);
    leafBytes.push(leaf);
    leaves.push({
      seq: leaves.length,
      items,
      links: links.map((l) => (l === null ? null : toHex(l))),
      leaf: toHex(leaf),
      leafHash: toHex(hash),
    });
  }
  // RFC 9162 roots of the leaves (merkleTreeHash leaf-hashes its entries itself).
  const checkpoints = [1, 2, 7, leafBytes.length].map((size) => {
    const root = merkleTreeHash(leafBytes.slice(0, size));
    const note = signCheckpoint(formatCheckpoint({ origin: ORIGIN, size, root }), checkpointSigner);
    return { size, root: toBase64(root), note };
  });
  return {
    description:
      'Golden wire vectors of DESIGN.md §4, built by build-wire-vectors.ts from fixed seeds and events. Frozen: a change here is a change of contract.',
    keys: Object.fromEntries(
      Object.entries(keys).map(([name, k]) => [
        name,
        {
          seed: toHex(seedOf(SEEDS[name as keyof typeof SEEDS])),
          publicKey: toHex(k.verifyingKey.bytes),
          keyId: k.keyId,
        },
      ]),
    ),
    checkpointKey: {
      name: ORIGIN,
      seed: toHex(checkpointSeed),
      vkey: formatVerifierKey(ORIGIN, SigningKey.fromSeed(checkpointSeed).verifyingKey.bytes),
    },
    events,
    leaves,
    checkpoints,
  };
}

function keysOf<S extends Record<string, number>>(seeds: S): Record<keyof S, SigningKey> {
  return Object.fromEntries(
    Object.entries(seeds).map(([name, b]) => [name, SigningKey.fromSeed(seedOf(b))]),
  ) as Record<keyof S, SigningKey>;
}

/** The golden vectors of LedgerEntry v2 (wire-v2.json). */
export interface WireVectorsV2 extends Omit<WireVectors, 'leaves'> {
  leaves: Array<{
    seq: number;
    /** The broker's append time the leaf carries. */
    appendedAt: number;
    /** What links follows: the named items, then a REGISTRY event's registry subjects. */
    subjects: string[];
    links: (string | null)[];
    /** What signerLinks follows: the signing party's and key's registry subjects. */
    signers: string[];
    signerLinks: (string | null)[];
    leaf: string;
    leafHash: string;
  }>;
}

const PACK_C = `https://id.gs1.org/01/${GTIN}/21/SN0003`;

// After v1's events (whose last revokes the distributor's key): the distributor's next key is added,
// and a new pack goes from the manufacturer to the distributor, received under the next key.
function rotationEvents(keys: Record<Signer, SigningKey>): GoldenEvent[] {
  const at = (party: string, site: string, n: number, offset: number) => ({
    eventId: `golden-${n}`,
    eventTime: T0 + n * 60_000,
    eventTimeOffsetMinutes: offset,
    party,
    site,
  });
  const m = (n: number) => at(GLN.manufacturer, GLN.plant, n, 60);
  return [
    {
      name: 'rotation-add-key',
      signer: 'authority',
      event: {
        ...at(GLN.authority, GLN.authority, 12, 0),
        type: 'REGISTRY',
        changes: [
          {
            kind: 'AddKey',
            gln: GLN.distributor,
            keyId: keys.distributorNext.keyId,
            publicKey: keys.distributorNext.verifyingKey.bytes,
            validFrom: T0,
          },
        ],
      },
    },
    {
      name: 'commission-c',
      signer: 'manufacturer',
      event: { ...m(13), type: 'COMMISSION', items: [PACK_C], lot: 'LOT-43', expiry: '271200' },
    },
    {
      name: 'ship-c',
      signer: 'manufacturer',
      event: { ...m(14), type: 'SHIP', items: [PACK_C], to: GLN.distributor },
    },
    {
      name: 'receive-c-next-key',
      signer: 'distributorNext',
      event: {
        ...at(GLN.distributor, GLN.warehouse, 15, -300),
        type: 'RECEIVE',
        items: [PACK_C],
        from: GLN.manufacturer,
      },
    },
  ];
}

/** The broker time of golden record `n`: 1.5 s after its eventTime, as a broker a little behind would stamp it. */
export const goldenAppendedAt = (n: number): number => T0 + n * 60_000 + 1_500;

/**
 * The LedgerEntry v2 vectors, computed afresh: v1's events and the rotation after them, each leaf with
 * its broker time, its links per item and per registry subject, and its signer links.
 */
export function buildWireVectorsV2(): WireVectorsV2 {
  const keys = keysOf(SEEDS_V2);
  const v1 = buildWireVectors();
  const golden = [...goldenEvents(keys), ...rotationEvents(keys)];
  const events: WireVectors['events'] = golden.map(({ name, signer, event }, n) => {
    if (n < v1.events.length) return v1.events[n]!;
    const eventBytes = encodeCustodyEvent(event);
    const signed = signEvent(nobleEd25519, keys[signer], eventBytes);
    return {
      name,
      signer,
      event: eventAsData(event),
      eventBytes: toHex(eventBytes),
      signingPayload: toHex(signingPayload(eventBytes)),
      signature: toHex(signed.signature),
      signedEvent: toHex(encodeSignedEvent(signed)),
    };
  });
  const heads = new Map<string, Uint8Array>();
  const head = (subject: string) => heads.get(subject) ?? null;
  const hex = (h: Uint8Array | null) => (h === null ? null : toHex(h));
  const leafBytes: Uint8Array[] = [];
  const leaves = golden.map(({ signer, event }, seq) => {
    const subjects = linkSubjects(event);
    const signers = signerSubjects(event.party, keys[signer].keyId);
    const entry = {
      seq,
      appendedAt: goldenAppendedAt(seq),
      signedEvent: fromHex(events[seq]!.signedEvent),
      links: subjects.map(head),
      signerLinks: signers.map(head),
    };
    const leaf = encodeLedgerEntry(entry);
    const hash = leafHash(leaf);
    for (const subject of subjects) heads.set(subject, hash);
    leafBytes.push(leaf);
    return {
      seq,
      appendedAt: entry.appendedAt,
      subjects,
      links: entry.links.map(hex),
      signers,
      signerLinks: entry.signerLinks.map(hex),
      leaf: toHex(leaf),
      leafHash: toHex(hash),
    };
  });
  const checkpointSigner = ed25519Signer(ORIGIN, seedOf(9));
  // Roots over the leaves themselves (merkleTreeHash leaf-hashes its entries).
  const checkpoints = [1, 12, 13, leafBytes.length].map((size) => {
    const root = merkleTreeHash(leafBytes.slice(0, size));
    const note = signCheckpoint(formatCheckpoint({ origin: ORIGIN, size, root }), checkpointSigner);
    return { size, root: toBase64(root), note };
  });
  return {
    description:
      'Golden wire vectors of LedgerEntry v2 (DESIGN.md §4): the v1 events and a key rotation, each leaf with its broker time (appendedAt), links per named item and per registry subject (rxledger:party:<gln>, rxledger:key:<keyId>), and signer links. Built by build-wire-vectors.ts from fixed seeds and events. Frozen: a change here is a change of contract.',
    keys: Object.fromEntries(
      Object.entries(keys).map(([name, k]) => [
        name,
        {
          seed: toHex(seedOf(SEEDS_V2[name as Signer])),
          publicKey: toHex(k.verifyingKey.bytes),
          keyId: k.keyId,
        },
      ]),
    ),
    checkpointKey: v1.checkpointKey,
    events,
    leaves,
    checkpoints,
  };
}
