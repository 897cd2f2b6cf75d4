// The provenance bundle as it travels (DESIGN §4-§5, GET /v1/provenance): JSON with bytes in standard
// base64. The verifier reads it as `unknown` and checks every field; these types are for producers.

/** One leaf of the log with its RFC 9162 inclusion proof against the bundle's checkpoint. */
export interface ProvenLeaf {
  /** Leaf index in the Merkle log (= the ledger entry's `seq`). */
  index: number;
  /** Base64 of the leaf bytes: the Avro single-object encoding of a LedgerEntry. */
  leaf: string;
  /** Base64 of each 32-byte hash of the inclusion proof, in RFC 9162 order. */
  proof: string[];
}

/** Everything needed to check an item's history offline against two trust anchors. */
export interface ProvenanceBundle {
  /** Canonical URI of the pack or container asked about. */
  item: string;
  /** C2SP signed checkpoint note text. */
  checkpoint: string;
  /** Ascending index: the item's leaves, its containers' leaves while it was inside, recalls of its lot. */
  entries: ProvenLeaf[];
  /** Every REGISTRY leaf below the checkpoint's size, ascending; the first is the genesis (index 0). */
  registry: ProvenLeaf[];
  /** 16-hex CRC-64-AVRO fingerprint → Avro schema JSON. */
  schemas: Record<string, unknown>;
  /** Decoded for people; never trusted by the verifier. */
  timeline?: unknown[];
}
