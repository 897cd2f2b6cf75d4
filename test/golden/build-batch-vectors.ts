// Builds the golden vectors of batch signatures (SignedEvent v2, DESIGN §4): a batch of three custody
// events signed once from a fixed seed, each record with its own inclusion path, the ledger leaves
// that follow wire-v2.json's sixteen, and a record that carries the path of another batch, which every
// reader must refuse. Frozen as wire-batch.json; wire.unit.test.ts rebuilds and compares byte for byte.
import {
  batchSigningMessage,
  BatchTree,
  type CustodyEvent,
  encodeCustodyEvent,
  encodeLedgerEntry,
  encodeSignedEvent,
  linkSubjects,
  nobleEd25519,
  SigningKey,
  signEventBatch,
  signerSubjects,
} from '@rxledger/events';
import {
  ed25519Signer,
  formatCheckpoint,
  fromHex,
  leafHash,
  merkleTreeHash,
  signCheckpoint,
  toBase64,
  toHex,
} from '@rxledger/tlog';
import {
  buildWireVectorsV2,
  eventAsData,
  GLN,
  GTIN,
  goldenAppendedAt,
  ORIGIN,
  seedOf,
  T0,
  type WireVectorsV2,
} from './build-wire-vectors.ts';

export interface BatchVectors {
  description: string;
  signer: { name: string; seed: string; publicKey: string; keyId: string };
  batch: {
    size: number;
    root: string;
    signingMessage: string;
    signature: string;
    records: Array<{
      name: string;
      event: unknown;
      eventBytes: string;
      leafHash: string;
      path: string[];
      record: string;
    }>;
  };
  /** Records every reader must refuse, with the admission code they get. */
  negative: Array<{ name: string; record: string; code: string; why: string }>;
  /** The ledger leaves of the batch's records, appended after wire-v2.json's leaves. */
  leaves: WireVectorsV2['leaves'];
  checkpoints: Array<{ size: number; root: string; note: string }>;
}

export const PACK_D = `https://id.gs1.org/01/${GTIN}/21/SN0004`;
export const PACK_E = `https://id.gs1.org/01/${GTIN}/21/SN0005`;

// A scanner's batch: two packs commissioned, then shipped together, numbered after wire-v2's events.
function batchEvents(): Array<{ name: string; event: CustodyEvent }> {
  const m = (n: number) => ({
    eventId: `golden-${n}`,
    eventTime: T0 + n * 60_000,
    eventTimeOffsetMinutes: 60,
    party: GLN.manufacturer,
    site: GLN.plant,
  });
  return [
    {
      name: 'batch-commission-d',
      event: { ...m(16), type: 'COMMISSION', items: [PACK_D], lot: 'LOT-44', expiry: '271200' },
    },
    {
      name: 'batch-commission-e',
      event: { ...m(17), type: 'COMMISSION', items: [PACK_E], lot: 'LOT-44', expiry: '271200' },
    },
    {
      name: 'batch-ship-d-e',
      event: { ...m(18), type: 'SHIP', items: [PACK_D, PACK_E], to: GLN.distributor },
    },
  ];
}

// Another batch of the same signer, never published: only its paths are used, by the negative vector.
function otherBatchEvents(): CustodyEvent[] {
  return batchEvents().map(({ event }, i) => ({ ...event, eventId: `golden-other-${i}` }));
}

/** Every batch vector, computed afresh from the fixed inputs above and the frozen v2 vectors. */
export function buildBatchVectors(v2: WireVectorsV2 = buildWireVectorsV2()): BatchVectors {
  const key = SigningKey.fromSeed(seedOf(2));
  const golden = batchEvents();
  const eventBytes = golden.map((g) => encodeCustodyEvent(g.event));
  const signed = signEventBatch(nobleEd25519, key, eventBytes);
  const tree = BatchTree.of(eventBytes.map((e) => leafHash(e)));
  const other = signEventBatch(
    nobleEd25519,
    key,
    otherBatchEvents().map((e) => encodeCustodyEvent(e)),
  );
  const foreignPath = encodeSignedEvent({ ...signed[0]!, batch: other[0]!.batch });
  return {
    description:
      'Golden vectors of batch signatures (SignedEvent v2, DESIGN.md §4): three custody events signed once over their RFC 9162 root, each record with its own inclusion path; their ledger leaves after wire-v2.json; a record with the path of another batch, refused. Built by build-batch-vectors.ts from fixed seeds and events. Frozen: a change here is a change of contract.',
    signer: {
      name: 'manufacturer',
      seed: toHex(seedOf(2)),
      publicKey: toHex(key.verifyingKey.bytes),
      keyId: key.keyId,
    },
    batch: {
      size: tree.size,
      root: toHex(tree.root),
      signingMessage: toHex(batchSigningMessage(tree.size, tree.root)),
      signature: toHex(signed[0]!.signature),
      records: golden.map(({ name, event }, i) => ({
        name,
        event: eventAsData(event),
        eventBytes: toHex(eventBytes[i]!),
        leafHash: toHex(leafHash(eventBytes[i]!)),
        path: signed[i]!.batch!.path.map(toHex),
        record: toHex(encodeSignedEvent(signed[i]!)),
      })),
    },
    negative: [
      {
        name: 'path-of-another-batch',
        record: toHex(foreignPath),
        code: 'BAD_SIGNATURE',
        why: 'record 0 of the batch with the inclusion path of record 0 of another batch of the same signer: it leads to a root the signature does not cover',
      },
    ],
    ...ledgerLeaves(
      v2,
      golden.map((g) => g.event),
      signed.map((s) => encodeSignedEvent(s)),
      key.keyId,
    ),
  };
}

// The leaves the fold writes for the batch's records after v2's leaves, and checkpoints over them all.
function ledgerLeaves(v2: WireVectorsV2, events: CustodyEvent[], records: Uint8Array[], keyId: string) {
  const heads = new Map<string, string>();
  for (const l of v2.leaves) for (const s of l.subjects) heads.set(s, l.leafHash);
  const head = (subject: string) => heads.get(subject) ?? null;
  const all = v2.leaves.map((l) => fromHex(l.leaf));
  const leaves = events.map((event, i) => {
    const seq = v2.leaves.length + i;
    const subjects = linkSubjects(event);
    const signers = signerSubjects(event.party, keyId);
    const links = subjects.map(head);
    const signerLinks = signers.map(head);
    const leaf = encodeLedgerEntry({
      seq,
      appendedAt: goldenAppendedAt(seq),
      signedEvent: records[i]!,
      links: links.map((h) => (h === null ? null : fromHex(h))),
      signerLinks: signerLinks.map((h) => (h === null ? null : fromHex(h))),
    });
    const hash = toHex(leafHash(leaf));
    for (const s of subjects) heads.set(s, hash);
    all.push(leaf);
    return {
      seq,
      appendedAt: goldenAppendedAt(seq),
      subjects,
      links,
      signers,
      signerLinks,
      leaf: toHex(leaf),
      leafHash: hash,
    };
  });
  const signer = ed25519Signer(ORIGIN, seedOf(9));
  const size = all.length;
  const root = merkleTreeHash(all);
  const note = signCheckpoint(formatCheckpoint({ origin: ORIGIN, size, root }), signer);
  return { leaves, checkpoints: [{ size, root: toBase64(root), note }] };
}
