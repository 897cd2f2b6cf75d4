import { sha256 } from '@rxledger/tlog';
import {
  applyRegistryEvent,
  type CustodyEvent,
  type CustodyEventOf,
  createRegistry,
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
import { applyStoredRegistryLeaves } from '../store/stored-registry.ts';
import type { ConsumedRecord, Prechecked } from '../intake/precheck.ts';
import { ItemHistory } from '../answers/item-history.ts';
import { foldCustody, type UndoRefusal } from '../custody/index.ts';
import { checkRecord, type Rejected } from './check-record.ts';
import { type AlertChange, decideAlertLeaf } from '../alerts/fold-alerts.ts';
import { healExplained } from '../alerts/rejudge.ts';
import type { AlertWrite } from '../store/alert-tables.ts';
import { pendingHistory } from './pending-history.ts';

export interface FoldResult {
  appended: number;
  rejected: number;
  /** Records repeating an accepted eventId with identical content: no-ops. */
  duplicates: number;
  /** Tree size after the batch. */
  size: number;
  /**
   * How many of the records given were handled (folded, or skipped as already folded) and committed:
   * all of them, unless a time budget ended the fold early. The rest are untouched.
   */
  consumed: number;
  /** Alerts raised, updated or healed by the records folded, in log order; durable when this is returned. */
  alertChanges: AlertChange[];
}

export interface FoldOptions {
  /**
   * Stop after the record during which this many ms have passed, and commit what was folded so far:
   * the caller yields to its event loop and folds the rest, so that no batch blocks answers for long.
   * Unbounded when omitted.
   */
  budgetMs?: number;
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
  #watched: Watched;

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
    this.#watched = watchedSubjects(store);
  }

  /** Loads the registry (from the registry leaves) and the compact range of the stored tree. */
  static open(
    store: LedgerStore,
    opts: { authority: VerifyingKey; ed: Ed25519; /** default DEFAULT_LATENESS_MS */ latenessMs?: number },
  ): LedgerFolder {
    const { registry } = applyStoredRegistryLeaves(store, createRegistry(opts.authority));
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
   * Folds a batch of records in offset order and commits what it folded: all of them, or with a
   * budget, those up to the record during which the budget ran out (`consumed` says how many). When
   * this returns, what it folded and the next offset are durable. It commits in several transactions
   * when a leaf concerns an alert (an alert event, or a leaf naming a pack with an open alert or one of
   * its containers): that leaf ends its transaction, and the alerts it may explain are re-judged inside
   * it, so the next record meets the alerts as they stand after that leaf, however the topic was
   * batched. If a commit throws, what was committed before it stays, in the database and in memory,
   * and nothing after it is kept.
   */
  fold(
    records: readonly ConsumedRecord[],
    prechecked?: ReadonlyMap<number, Prechecked>,
    opts: FoldOptions = {},
  ): FoldResult {
    const from = this.#store.nextOffset();
    // Records below the stored position were folded before (a re-read after a join or a failure).
    let start = 0;
    while (start < records.length && records[start]!.offset < from) start++;
    const total = { appended: 0, rejected: 0, duplicates: 0, alertChanges: [] as AlertChange[] };
    if (start === records.length) return { ...total, size: this.#range.size, consumed: start };
    const deadline = opts.budgetMs === undefined ? Infinity : performance.now() + opts.budgetMs;

    let end = start;
    do {
      const pending = new PendingFold(
        this.#store,
        this.#range,
        this.#registry,
        this.#ed,
        this.#latenessMs,
        this.#watched,
      );
      do {
        const record = records[end++]!;
        pending.add(record, prechecked?.get(record.offset));
      } while (end < records.length && !pending.settles && performance.now() < deadline);
      this.#commit(pending, records[end - 1]!.offset + 1);
      const counts = pending.counts();
      total.appended += counts.appended;
      total.rejected += counts.rejected;
      total.duplicates += counts.duplicates;
      total.alertChanges.push(...pending.alertChanges);
    } while (end < records.length && performance.now() < deadline);
    return { ...total, size: this.#range.size, consumed: end };
  }

  #commit(pending: PendingFold, nextOffset: number): void {
    const settle = pending.settles ? () => pending.settle(this.#store) : undefined;
    this.#store.commit(pending.write(nextOffset), settle);
    this.#range = pending.range;
    this.#registry = pending.registry;
    if (pending.settles) this.#watched = watchedSubjects(this.#store);
  }
}

/** Packs with an open alert, and every container that ever held one: subject → those packs. */
type Watched = ReadonlyMap<string, ReadonlySet<string>>;

function watchedSubjects(store: LedgerStore): Watched {
  const watched = new Map<string, Set<string>>();
  for (const pack of store.alerts.openItems()) {
    const queue = [pack];
    for (let subject = queue.pop(); subject !== undefined; subject = queue.pop()) {
      const packs = watched.get(subject) ?? new Set<string>();
      if (packs.has(pack)) continue;
      watched.set(subject, packs.add(pack));
      queue.push(...store.itemLinks(subject, false).parents);
    }
  }
  return watched;
}

/**
 * One fold call's work before its commit: the leaves, tree nodes and rejections it adds, and the
 * registry and tree as they stand after them. Nothing of it is seen outside until the caller commits
 * `write()` and adopts `range` and `registry`.
 */
class PendingFold {
  readonly range: CompactRange;
  registry: RegistryState;
  readonly #store: LedgerStore;
  readonly #ed: Ed25519;
  readonly #latenessMs: number | undefined;
  readonly #leaves: LeafRow[] = [];
  readonly #nodes: TreeNode[] = [];
  readonly #rejections: RejectionRow[] = [];
  /** The latest leaf hash of each subject named in this call, or read for it from the store. */
  readonly #heads = new Map<string, Uint8Array>();
  /** Content hashes of the eventIds accepted in this call, by `party/eventId`. */
  readonly #ids = new Map<string, Uint8Array>();
  readonly #watched: Watched;
  #duplicates = 0;
  #alerts: AlertWrite | undefined;
  /** The alerts changed by this call's leaves (the heals are added by settle). */
  readonly alertChanges: AlertChange[] = [];
  /** The last leaf concerns these packs' alerts: re-judge them in the commit, and end the call. */
  #settle: { seq: number; at: number; packs: Set<string> } | undefined;

  constructor(
    store: LedgerStore,
    range: CompactRange,
    registry: RegistryState,
    ed: Ed25519,
    latenessMs: number | undefined,
    watched: Watched,
  ) {
    this.#store = store;
    this.range = CompactRange.fromHashes(range.size, range.hashes());
    this.registry = registry;
    this.#ed = ed;
    this.#latenessMs = latenessMs;
    this.#watched = watched;
  }

  /** Whether the last leaf added concerns an alert: then the call commits now, and settles alerts. */
  get settles(): boolean {
    return this.#settle !== undefined;
  }

  /** Heals the alerts the settling leaf explains; inside the commit's transaction (LedgerStore.commit). */
  settle(store: LedgerStore): void {
    const s = this.#settle;
    if (s === undefined) return;
    for (const healed of healExplained(store, s.packs, s)) {
      this.alertChanges.push({ kind: 'alert.healed', alertId: healed.id, seq: s.seq });
    }
  }

  /** Judges one record and appends it as a leaf, counts it as a duplicate, or records its rejection. */
  add(record: ConsumedRecord, pre: Prechecked | undefined): void {
    // The leaf carries the broker time (appendedAt, an Avro long): a record without a usable one
    // is refused here rather than failing the leaf's encoding and stalling the fold.
    if (!Number.isSafeInteger(record.timestamp)) {
      const message = `the broker timestamp ${String(record.timestamp)} is not an integer of epoch ms`;
      return this.#reject({ ...record, timestamp: 0 }, { ok: false, code: 'UNPROCESSABLE', message });
    }
    const checked = checkRecord(record, this.registry, this.#ed, pre, this.#latenessMs);
    if (!checked.ok) return this.#reject(record, checked);
    const { signed, event } = checked;
    const by = { eventId: event.eventId, party: event.party, keyId: signed.keyId, eventType: event.type };
    const idKey = `${event.party}/${event.eventId}`;
    const contentHash = sha256(signed.event);
    const seen = this.#ids.get(idKey) ?? this.#store.eventId(event.party, event.eventId)?.contentHash;
    if (seen) {
      if (bytesEqual(seen, contentHash)) this.#duplicates++;
      else {
        const message = `${event.party} already used eventId ${event.eventId} for an event with different content`;
        this.#reject(record, { ok: false, code: 'EVENT_ID_CONFLICT', message, attribution: by });
      }
      return;
    }
    if (event.type === 'UNDO_DISPENSE') {
      const refused = this.#undoRefusal(event, record.timestamp);
      if (refused !== undefined) return this.#reject(record, { ok: false, ...refused, attribution: by });
    }
    const appended = appendable(this.registry, event, signed.keyId);
    if (!appended.ok) return this.#reject(record, { ...appended, attribution: by });
    const leafAt = { seq: this.range.size, at: record.timestamp };
    let alertPack: string | undefined;
    if (event.type === 'RAISE_ALERT' || event.type === 'UPDATE_ALERT') {
      const decided = decideAlertLeaf(this.#store.alerts, event, leafAt, this.registry);
      if (!decided.ok) return this.#reject(record, { ...decided, attribution: by });
      this.#alerts = decided.write;
      this.alertChanges.push(decided.change);
      alertPack = event.item;
    }
    this.registry = appended.registry;
    this.#ids.set(idKey, contentHash);
    this.#append(record, event, signed.keyId, contentHash, appended);
    const packs = new Set(appended.items.flatMap((s) => [...(this.#watched.get(s) ?? [])]));
    if (alertPack !== undefined) packs.add(alertPack);
    if (packs.size > 0) this.#settle = { ...leafAt, packs };
  }

  /**
   * An undo that would change nothing is refused here, with the custody rule's reason (undo-rule.ts),
   * so that the scanner sees why on GET /v1/events/{id}: the pack's history as it stands (this call's
   * leaves included) is folded with the undo, by eventTime, and each pack's outcome read. Every node
   * folds the same leaves before the same record, so every node decides alike. Appended undos are
   * judged again by the fold on every read, so that a late upload of an earlier recall or decommission
   * still gives the answer it would have given on time.
   */
  #undoRefusal(
    event: CustodyEventOf<'UNDO_DISPENSE'>,
    appendedAt: number,
  ): { code: RejectionCode; message: string } | undefined {
    try {
      const history = new ItemHistory(pendingHistory(this.#store, this.#leaves));
      const undo = { seq: this.range.size, event, appendedAt };
      const world = foldCustody([...history.entries(event.items), undo]);
      let refusal: UndoRefusal | undefined;
      for (const item of event.items) {
        refusal ??= world.entities.get(item)?.undos?.find((u) => u.seq === undo.seq)?.refusal;
      }
      return refusal;
    } catch (err) {
      const message = `undo check failed: ${String((err as Error)?.message ?? err).slice(0, 500)}`;
      return { code: 'UNPROCESSABLE', message };
    }
  }

  #append(
    record: ConsumedRecord,
    event: CustodyEvent,
    keyId: string,
    contentHash: Uint8Array,
    appended: Extract<ReturnType<typeof appendable>, { ok: true }>,
  ): void {
    const seq = this.range.size;
    const leaf = encodeLedgerEntry({
      seq,
      appendedAt: record.timestamp,
      signedEvent: record.value!,
      links: appended.items.map((s) => this.#head(s)),
      signerLinks: signerSubjects(event.party, keyId).map((s) => this.#head(s)),
    });
    const hash = leafHash(leaf);
    this.#nodes.push(...this.range.append(hash));
    for (const item of appended.items) this.#heads.set(item, hash);
    this.#leaves.push({
      seq,
      leaf,
      hash,
      kafkaOffset: record.offset,
      eventId: event.eventId,
      eventType: event.type,
      eventTime: event.eventTime,
      party: event.party,
      site: event.site,
      contentHash,
      items: appended.items,
      ...appended.index,
    });
  }

  // Items and registry subjects share one head per subject (they cannot collide: GS1 URIs vs
  // rxledger:…). Only REGISTRY leaves name registry subjects, so a subject's head is the latest
  // registry leaf naming it: what signerLinks point at. A head read from the store is kept for the
  // rest of the call: signer subjects repeat on nearly every leaf, and a later leaf overwrites it.
  #head(subject: string): Uint8Array | null {
    const known = this.#heads.get(subject) ?? this.#store.itemHead(subject);
    if (known !== undefined) this.#heads.set(subject, known);
    return known ?? null;
  }

  #reject(record: ConsumedRecord, r: Rejected): void {
    const by = r.attribution;
    this.#rejections.push({
      kafkaOffset: record.offset,
      eventId: by?.eventId ?? null,
      party: by?.party ?? null,
      keyId: by?.keyId ?? null,
      eventType: by?.eventType ?? null,
      code: r.code,
      message: r.message,
      receivedAt: record.timestamp,
    });
  }

  counts(): Pick<FoldResult, 'appended' | 'rejected' | 'duplicates'> {
    return { appended: this.#leaves.length, rejected: this.#rejections.length, duplicates: this.#duplicates };
  }

  /** What to commit: everything added, and `nextOffset` as the position to resume from. */
  write(nextOffset: number) {
    return {
      leaves: this.#leaves,
      nodes: this.#nodes,
      rejections: this.#rejections,
      nextOffset,
      ...(this.#alerts ? { alerts: this.#alerts } : {}),
    };
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
