import { type GroundTruth, recordRun, writeGroundTruth } from './ground-truth.ts';
import { planSimulation, type SimPlan } from './plan-simulation.ts';
import { type Progress, postUploads, waitFolded } from './post-uploads.ts';
import { splitLate, type Upload } from './schedule-uploads.ts';
import type { SimOptions } from './sim-book.ts';
import type { SimAccess, SimNetwork } from './sim-network.ts';

export interface RunOptions {
  /** Events per second at most; 0 posts as fast as the services take them. */
  rate: number;
  /** The ground truth file: this run's packs are added to what it holds. */
  truthFile: string;
  /** The truth so far (the demo's earlier rounds); without it the file starts afresh. */
  truth?: GroundTruth;
  /** Keep only the newest runs' packs beyond this many (the demo runs for hours; its file must not grow without end). */
  keepPacks?: number;
  /** How long to wait for the ledger to fold the last event. */
  foldTimeoutMs?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /**
   * With it, the run holds its late uploads back: it posts the rest, waits until the ledger folded
   * them, calls this (the counter scans packs whose history is still missing its late part), and
   * only then posts the late uploads. Without it, uploads go in the plan's order.
   */
  beforeLate?: (plan: SimPlan) => Promise<void>;
}

/**
 * Plans a run, posts it through the partner services, waits until the ledger has folded its last
 * event and only then writes the ground truth, so that `rxledger quality` never checks a pack the
 * ledger has not seen yet. Returns the plan and the truth written.
 */
export async function runSimulation(
  network: SimNetwork,
  access: SimAccess,
  sim: SimOptions,
  opts: RunOptions,
): Promise<{ plan: SimPlan; truth: GroundTruth }> {
  const plan = planSimulation(network, sim);
  const parts = opts.beforeLate ? splitLate(plan.uploads, plan.lateEvents) : [plan.uploads];
  for (const [i, part] of parts.entries()) {
    if (i > 0) await opts.beforeLate?.(plan);
    await postAndFold(part, access, opts);
    if (opts.signal?.aborted) return { plan, truth: opts.truth ?? emptyTruth() };
  }
  const truth = opts.truth ?? emptyTruth();
  recordRun(truth, { tag: plan.tag, options: sim, events: plan.events }, plan.packs, opts.keepPacks);
  await writeGroundTruth(opts.truthFile, truth);
  return { plan, truth };
}

async function postAndFold(uploads: Upload[], access: SimAccess, opts: RunOptions): Promise<void> {
  await postUploads(uploads, access, opts);
  if (opts.signal?.aborted) return;
  // The last upload of new events: a duplicate or resend after it may be answered from the service's
  // cache without a new record, so its events say nothing about what is folded.
  const last = uploads.findLast((u) => u.copy === 'first');
  if (last) await waitFolded(last, access, opts.foldTimeoutMs ?? 120_000, opts.signal);
}

export const emptyTruth = (): GroundTruth => ({ version: 1, runs: [], packs: [] });
