import type { Logger, Readiness } from '@rxledger/runtime';
import {
  bytesEqual,
  checkPair,
  isSignedCheckpoint,
  type NoteVerifier,
  openSignedCheckpoint,
  type PairVerdict,
  proofSpan,
  toBase64,
  type Unusable,
} from '@rxledger/tlog';
import type { Registry } from 'prom-client';
import type { CheckpointSource } from './checkpoint-source.ts';
import { type EvidenceCheckpoint, type Inconsistency, writeEvidence } from './split-view-evidence.ts';
import { splitViewMetrics } from './split-view-metrics.ts';

/** The alarm line's message: stable, so alerting rules can match it. */
export const SPLIT_VIEW_ALARM = 'split view detected: two signed checkpoints of one log are inconsistent';

export interface SplitViewMonitorOptions {
  sources: readonly CheckpointSource[];
  /** The nodes' checkpoint keys: a note counts when any one of them signed it. */
  verifiers: readonly NoteVerifier[];
  /** The log every source serves; a checkpoint of another log is no evidence. */
  origin: string;
  log: Logger;
  /** Where the metrics go (a node's /metrics registry); none are kept without one. */
  metrics?: Registry;
  /** Where evidence files are written; without it evidence is only logged and kept in memory. */
  evidenceDir?: string;
  /** Told of what the monitor sees, for a command line's plain output. */
  onEvent?: (event: MonitorEvent) => void;
  now?: () => Date;
}

/** What a monitor reports as it goes. */
export type MonitorEvent =
  | { kind: 'checkpoint'; node: string; size: number; root: string }
  | { kind: 'unusable'; node: string; code: Unusable['code']; reason: string }
  | { kind: 'unreachable'; node: string; reason: string }
  | { kind: 'inconsistency'; inconsistency: Inconsistency; evidenceFile: string | undefined };

type Sighting = EvidenceCheckpoint & { readonly source: CheckpointSource };
type Failed = Extract<PairVerdict, { consistent: false }>;

/** What one monitor knows, shared by the steps of a round. */
interface MonitorState {
  opts: SplitViewMonitorOptions;
  metrics: ReturnType<typeof splitViewMetrics> | undefined;
  latest: Map<string, Sighting>;
  lastNote: Map<string, string>;
  // Pairs waiting for a proof (the node that must serve it may be down): retried every poll.
  pending: Map<string, [Sighting, Sighting]>;
  // One proven inconsistency per pair of nodes is alarmed and written; later ones only counted.
  proven: Map<string, { inconsistency: Inconsistency; evidenceFile: string | undefined }>;
}

/**
 * Follows the latest checkpoint of each source and checks every new one against the source's own
 * previous checkpoint and every other source's latest (transitivity covers the rest: a chain of
 * consistent pairs is consistent). A proven inconsistency is kept for good: evidence file, metric,
 * one alarm line per pair of nodes, and `readiness()` false from then on.
 */
export function createSplitViewMonitor(opts: SplitViewMonitorOptions) {
  const state: MonitorState = {
    opts,
    metrics: opts.metrics ? splitViewMetrics(opts.metrics) : undefined,
    latest: new Map(),
    lastNote: new Map(),
    pending: new Map(),
    proven: new Map(),
  };
  /** One round: read every source, then check the pairs waiting. Never throws. */
  const poll = async () => {
    try {
      await Promise.all(opts.sources.map((source) => readSource(state, source)));
      await Promise.all([...state.pending].map(([key, pair]) => checkPending(state, key, pair)));
    } catch (err) {
      opts.log.error({ err }, 'split-view monitor: poll failed; trying again on the next one');
    }
  };

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  return {
    poll,
    /** Polls every `intervalMs`, one round at a time, until stop(). */
    start(intervalMs: number) {
      const round = () => {
        running = poll().then(() => {
          if (!stopped) timer = setTimeout(round, intervalMs);
        });
      };
      round();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    /** Every proven inconsistency so far (one per pair of nodes), with its evidence file. */
    inconsistencies: () => [...state.proven.values()],
    /** Not ready, for good, once a split view is proven. */
    readiness: (): Readiness => splitViewReadiness(state),
  };
}

export type SplitViewMonitor = ReturnType<typeof createSplitViewMonitor>;

const emit = (state: MonitorState, e: MonitorEvent) => state.opts.onEvent?.(e);

function unreachable(state: MonitorState, node: string, err: unknown): void {
  state.metrics?.fetchFailures.inc();
  const reason = (err as Error).message;
  state.opts.log.warn({ node, err }, 'split-view monitor: fetch failed; retrying on the next poll');
  emit(state, { kind: 'unreachable', node, reason });
}

/** Reads a source's latest note; a new, verified one is paired with every other node's latest and its own previous. */
async function readSource(state: MonitorState, source: CheckpointSource): Promise<void> {
  const { opts, latest } = state;
  let note: string | undefined;
  try {
    note = await source.latest();
  } catch (err) {
    return unreachable(state, source.id, err);
  }
  if (note === undefined || note === state.lastNote.get(source.id)) return;
  state.lastNote.set(source.id, note);
  const opened = openSignedCheckpoint(note, opts.verifiers, opts.origin);
  if (!isSignedCheckpoint(opened)) {
    state.metrics?.unusable.inc({ code: opened.code });
    opts.log.error(
      { node: source.id, code: opened.code, note },
      `split-view monitor: checkpoint is no evidence: ${opened.reason}`,
    );
    return emit(state, { kind: 'unusable', node: source.id, code: opened.code, reason: opened.reason });
  }
  const seen: Sighting = { ...opened, node: source.id, source };
  const { size, root } = seen.checkpoint;
  emit(state, { kind: 'checkpoint', node: source.id, size, root: toBase64(root) });
  const previous = latest.get(source.id);
  latest.set(source.id, seen);
  for (const other of latest.values()) if (other !== seen) queue(state, other, seen);
  if (previous) queue(state, previous, seen);
}

function queue(state: MonitorState, a: Sighting, b: Sighting): void {
  // The earlier-seen first at equal sizes, else the smaller: the larger's node serves the proof.
  const pair: [Sighting, Sighting] = a.checkpoint.size <= b.checkpoint.size ? [a, b] : [b, a];
  state.pending.set(
    pair.map((s) => `${s.node} ${s.checkpoint.size} ${toBase64(s.checkpoint.root)}`).join(' | '),
    pair,
  );
}

/** Checks one waiting pair with a proof from the larger's node; a pair whose node is down stays waiting. */
async function checkPending(state: MonitorState, key: string, [small, large]: [Sighting, Sighting]) {
  const span = proofSpan(small.checkpoint, large.checkpoint);
  let hashes: Uint8Array[] | undefined;
  if (span) {
    try {
      hashes = await large.source.consistency(span.from, span.to);
    } catch (err) {
      return unreachable(state, large.node, err);
    }
  }
  state.pending.delete(key);
  const verdict = checkPair(small.checkpoint, large.checkpoint, hashes);
  if (verdict.consistent) return;
  // Stronger evidence, if the larger's node kept it: its own note at the smaller size with another
  // root proves the fork from two signatures alone, no proof to trust.
  const twin = span ? await signedAt(state, large.source, span.from) : undefined;
  if (twin && !bytesEqual(twin.checkpoint.root, small.checkpoint.root)) {
    return prove(state, small, twin, checkPair(small.checkpoint, twin.checkpoint) as Failed, undefined);
  }
  await prove(state, small, large, verdict, span && hashes ? { ...span, hashes } : undefined);
}

/** The verified note `source` signed at exactly `size`, or undefined if it serves none. */
async function signedAt(state: MonitorState, source: CheckpointSource, size: number) {
  const { verifiers, origin } = state.opts;
  try {
    const note = await source.at(size);
    const opened = note === undefined ? undefined : openSignedCheckpoint(note, verifiers, origin);
    if (!opened || !isSignedCheckpoint(opened) || opened.checkpoint.size !== size) return undefined;
    return { ...opened, node: source.id, source } satisfies Sighting;
  } catch {
    return undefined; // the failed proof is evidence enough
  }
}

/** Records a proven inconsistency: counted always; alarmed, written and reported once per pair of nodes. */
async function prove(
  state: MonitorState,
  small: Sighting,
  large: Sighting,
  verdict: Failed,
  proof: Inconsistency['proof'],
): Promise<void> {
  const strip = ({ source: _source, ...rest }: Sighting): EvidenceCheckpoint => rest;
  const inconsistency: Inconsistency = {
    detectedAt: (state.opts.now ?? (() => new Date()))(),
    check: verdict.check,
    reason: verdict.reason,
    pair: [strip(small), strip(large)],
    ...(proof ? { proof } : {}),
  };
  state.metrics?.inconsistencies.inc({ check: verdict.check });
  state.metrics?.detected.set(1);
  const nodes = [small.node, large.node].sort().join(' ');
  if (state.proven.has(nodes)) return;
  state.proven.set(nodes, { inconsistency, evidenceFile: undefined });
  const evidenceFile = await keep(state.opts, inconsistency);
  state.proven.set(nodes, { inconsistency, evidenceFile });
  state.opts.log.error(
    {
      check: verdict.check,
      reason: verdict.reason,
      nodes: [small.node, large.node],
      sizes: [small.checkpoint.size, large.checkpoint.size],
      evidence: evidenceFile ?? inconsistency.pair.map((c) => c.note),
    },
    SPLIT_VIEW_ALARM,
  );
  emit(state, { kind: 'inconsistency', inconsistency, evidenceFile });
}

/** Writes the evidence file, if the monitor has a folder for it; its path, or undefined. */
async function keep(opts: SplitViewMonitorOptions, inconsistency: Inconsistency) {
  if (opts.evidenceDir === undefined) return undefined;
  try {
    return await writeEvidence(opts.evidenceDir, inconsistency);
  } catch (err) {
    // The evidence stays in memory and in the alarm line's notes.
    opts.log.error({ err, dir: opts.evidenceDir }, 'split-view monitor: could not write the evidence file');
    return undefined;
  }
}

function splitViewReadiness(state: MonitorState): Readiness {
  const first = state.proven.values().next();
  if (first.done) return { ready: true };
  const { inconsistency: x, evidenceFile } = first.value;
  const [a, b] = x.pair.map((c) => `${c.node} (size ${c.checkpoint.size})`);
  const evidence = evidenceFile ? `; evidence ${evidenceFile}` : '';
  return { ready: false, detail: `split view between ${a} and ${b}: ${x.reason}${evidence}` };
}
