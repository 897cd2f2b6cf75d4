import { sha256 } from '@noble/hashes/sha2.js';
import {
  applyRegistryEvent,
  type CustodyEvent,
  createRegistry,
  decodeCustodyEvent,
  decodeLedgerEntry,
  decodeSignedEvent,
  type Ed25519,
  encodeLedgerEntry,
  linkSubjects,
  type RegistryState,
  type RejectionCode,
  signerSubjects,
  type VerifyingKey,
} from '@rxledger/events';
import { readCanonicalItem } from '@rxledger/gs1';
import { bytesEqual, CompactRange, leafHash, type TreeNode } from '@rxledger/tlog';
import type { LeafRow, LedgerStore, RejectionRow } from '../store/ledger-store.ts';
import { type ConsumedRecord, checkRecord, type Prechecked, type Rejected } from './check-record.ts';

export interface FoldResult {
  appended: number;
  rejected: number;
  /** Records repeating an accepted eventId with identical content: no-ops. */
  duplicates: number;
  /** Tree size after the batch. */
  size: number;
}

/**
 * Folds consumed records into the log: checks each, appends accepted ones as LedgerEntry v2 leaves
 * (the broker time, per-item and per-party/per-key registry hash links, signer links), and commits the batch with the next Kafka offset. Holds the registry and the
 * compact range in memory; both are rebuilt from the database on open.
 */
export class LedgerFolder {
  readonly #store: LedgerStore;
  readonly #ed: Ed25519;
  readonly #latenessMs: number | undefined;
  #registry: RegistryState;
  #range: CompactRange;

  private constructor(
    store: LedgerStore,
    ed: Ed25519,
    registry: RegistryState,
    range: CompactRange,
    latenessMs: number | undefined,
  ) {
    this.#store = store;
    this.#ed = ed;
    this.#latenessMs = latenessMs;
    this.#registry = registry;
    this.#range = range;
  }

  /** Loads the registry (from the registry leaves) and the compact range of the stored tree. */
  static open(
    store: LedgerStore,
    opts: { authority: VerifyingKey; ed: Ed25519; /** default DEFAULT_LATENESS_MS */ latenessMs?: number },
  ): LedgerFolder {
    let registry = createRegistry(opts.authority);
    for (const seq of store.registrySeqs()) {
      const signed = decodeSignedEvent(decodeLedgerEntry(store.leaf(seq)!.leaf).signedEvent);
      const applied = applyRegistryEvent(registry, decodeCustodyEvent(signed.event), signed.keyId);
      if (!applied.ok) throw new Error(`stored registry leaf ${seq} no longer applies: ${applied.message}`);
      registry = applied.state;
    }
    const range = CompactRange.fromReader(store.hashReader(), store.size());
    return new LedgerFolder(store, opts.ed, registry, range, opts.latenessMs);
  }

  get registry(): RegistryState {
    return this.#registry;
  }

  /** Leaves in the log. */
  get size(): number {
    return this.#range.size;
  }

  /** Root hash of the whole log as committed. */
  root(): Uint8Array {
    return this.#range.root();
  }

  /**
   * Folds one batch and commits it. When this returns the batch and its offset are durable; if the
   * commit throws, nothing of the batch is kept, in the database or in memory.
   */
  fold(records: readonly ConsumedRecord[], prechecked?: ReadonlyMap<number, Prechecked>): FoldResult {
    const from = this.#store.nextOffset();
    const fresh = records.filter((r) => r.offset >= from);
    const result: FoldResult = { appended: 0, rejected: 0, duplicates: 0, size: this.#range.size };
    if (fresh.length === 0) return result;

    const range = CompactRange.fromHashes(this.#range.size, this.#range.hashes());
    let registry = this.#registry;
    const leaves: LeafRow[] = [];
    const nodes: TreeNode[] = [];
    const rejections: RejectionRow[] = [];
    const heads = new Map<string, Uint8Array>();
    const ids = new Map<string, Uint8Array>();

    const reject = (record: ConsumedRecord, r: Rejected) => {
      const by = r.attribution;
      rejections.push({
        kafkaOffset: record.offset,
        eventId: by?.eventId ?? null,
        party: by?.party ?? null,
        keyId: by?.keyId ?? null,
        eventType: by?.eventType ?? null,
        code: r.code,
        message: r.message,
        receivedAt: record.timestamp,
      });
    };

    for (const record of fresh) {
      // The leaf carries the broker time (appendedAt, an Avro long): a record without a usable one
      // is refused here rather than failing the leaf's encoding and stalling the fold.
      if (!Number.isSafeInteger(record.timestamp)) {
        const message = `the broker timestamp ${String(record.timestamp)} is not an integer of epoch ms`;
        reject({ ...record, timestamp: 0 }, { ok: false, code: 'UNPROCESSABLE', message });
        continue;
      }
      const checked = checkRecord(
        record,
        registry,
        this.#ed,
        prechecked?.get(record.offset),
        this.#latenessMs,
      );
      if (!checked.ok) {
        reject(record, checked);
        continue;
      }
      const { signed, event } = checked;
      const by = { eventId: event.eventId, party: event.party, keyId: signed.keyId, eventType: event.type };
      const idKey = `${event.party}/${event.eventId}`;
      const contentHash = sha256(signed.event);
      const seen = ids.get(idKey) ?? this.#store.eventId(event.party, event.eventId)?.contentHash;
      if (seen) {
        if (bytesEqual(seen, contentHash)) result.duplicates++;
        else {
          const message = `${event.party} already used eventId ${event.eventId} for an event with different content`;
          reject(record, { ok: false, code: 'EVENT_ID_CONFLICT', message, attribution: by });
        }
        continue;
      }
      const appended = appendable(registry, event, signed.keyId);
      if (!appended.ok) {
        reject(record, { ...appended, attribution: by });
        continue;
      }
      registry = appended.registry;

      const seq = range.size;
      // Items and registry subjects share one head per subject (they cannot collide: GS1 URIs vs
      // rxledger:…). Only REGISTRY leaves name registry subjects, so a subject's head is the latest
      // registry leaf naming it: what signerLinks point at.
      // A head read from the store is kept for the rest of the batch: signer subjects repeat on
      // nearly every leaf, and a later registry leaf of the batch overwrites it.
      const head = (subject: string) => {
        const known = heads.get(subject) ?? this.#store.itemHead(subject);
        if (known !== undefined) heads.set(subject, known);
        return known ?? null;
      };
      const leaf = encodeLedgerEntry({
        seq,
        appendedAt: record.timestamp,
        signedEvent: record.value!,
        links: appended.items.map(head),
        signerLinks: signerSubjects(event.party, signed.keyId).map(head),
      });
      const hash = leafHash(leaf);
      nodes.push(...range.append(hash));
      for (const item of appended.items) heads.set(item, hash);
      ids.set(idKey, contentHash);
      leaves.push({
        seq,
        leaf,
        hash,
        kafkaOffset: record.offset,
        eventId: event.eventId,
        eventType: event.type,
        eventTime: event.eventTime,
        party: event.party,
        contentHash,
        items: appended.items,
        ...appended.index,
      });
    }

    this.#store.commit({ leaves, nodes, rejections, nextOffset: fresh[fresh.length - 1]!.offset + 1 });
    this.#range = range;
    this.#registry = registry;
    result.appended = leaves.length;
    result.rejected = rejections.length;
    result.size = range.size;
    return result;
  }
}

/**
 * What an admitted event changes besides the log, computed without touching the store: the registry
 * (a REGISTRY event that does not apply is refused), the subjects its links follow (the items it
 * names, then a REGISTRY event's party and key subjects) and its index rows. Pure, so an
 * unexpected exception here refuses the one record (UNPROCESSABLE) instead of stalling the fold forever:
 * every node running the same code refuses the same record.
 */
function appendable(
  registry: RegistryState,
  event: CustodyEvent,
  keyId: string,
):
  | { ok: true; registry: RegistryState; items: string[]; index: Partial<LeafRow> }
  | { ok: false; code: RejectionCode; message: string } {
  try {
    if (event.type === 'REGISTRY') {
      const applied = applyRegistryEvent(registry, event, keyId);
      if (!applied.ok) {
        const where = applied.change === undefined ? '' : ` (changes[${applied.change}])`;
        return {
          ok: false,
          code: 'REGISTRY_REJECTED',
          message: `${applied.code}${where}: ${applied.message}`,
        };
      }
      registry = applied.state;
    }
    return { ok: true, registry, items: linkSubjects(event), index: indexRows(event) };
  } catch (err) {
    return {
      ok: false,
      code: 'UNPROCESSABLE',
      message: `check failed: ${String((err as Error)?.message ?? err).slice(0, 500)}`,
    };
  }
}

// The secondary index rows an event adds: lots for recall scope, recalls, containment, registry.
function indexRows(event: CustodyEvent): Partial<LeafRow> {
  switch (event.type) {
    case 'COMMISSION': {
      const lots = event.items.flatMap((uri) => {
        const item = readCanonicalItem(uri);
        return item.kind === 'sgtin' ? [{ gtin: item.gtin, lot: event.lot, item: uri }] : [];
      });
      return lots.length > 0 ? { lots } : {};
    }
    case 'RECALL':
      return { recall: { gtin: event.gtin, lot: event.lot } };
    case 'AGGREGATE':
      return { containment: { parent: event.parent, children: event.children } };
    case 'REGISTRY':
      return { registry: true };
    default:
      return {};
  }
}
