import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Expected, IncidentKind, SimOptions, SimPack } from './sim-book.ts';

/** A simulated pack as `rxledger quality` checks it: the scan, where it is asked, the answer due. */
export interface TruthPack {
  gtin: string;
  serial: string;
  /** As printed on the pack (what a scan reads). */
  lot: string;
  expiry: string;
  /** The GLN of the party that asks (its counter or dock), with its own ledger token. */
  at: string;
  incident?: IncidentKind;
  expect: Expected;
}

/** The packs the demo prints to try, all at the first pharmacy. */
export interface Showcase {
  pharmacy: string;
  genuine?: TruthPack;
  clone?: TruthPack;
  recalled?: TruthPack;
  dispensed?: TruthPack;
}

/** What the simulator planted: every pack of every run written to the file, and what verify must say. */
export interface GroundTruth {
  version: 1;
  runs: Array<{ tag: string; options: SimOptions; events: number; packs: number }>;
  packs: TruthPack[];
}

/** The answer due for a pack the plan left in `p.state`; for an incident, the alerts it must raise. */
export function expectedOf(p: SimPack): Expected {
  if (p.incident) return { dispensable: false, alerts: p.expectAlerts ?? [] };
  switch (p.state) {
    case 'ACTIVE':
      return { verdict: 'VERIFIED', status: 'ACTIVE', dispensable: true, alerts: [] };
    case 'IN_TRANSIT':
      return { verdict: 'VERIFIED', status: 'IN_TRANSIT', dispensable: false, alerts: [] };
    case 'DISPENSED':
      return { verdict: 'SUSPECT', status: 'DISPENSED', dispensable: false, alerts: ['ALREADY_DISPENSED'] };
    case 'DECOMMISSIONED':
      return { verdict: 'SUSPECT', status: 'DECOMMISSIONED', dispensable: false, alerts: ['DECOMMISSIONED'] };
  }
}

/** A plan's pack as the ground truth records it. */
export function truthOf(p: SimPack): TruthPack {
  return {
    gtin: p.gtin,
    serial: p.serial,
    lot: p.scan?.lot ?? p.lot,
    expiry: p.scan?.expiry ?? p.expiry,
    at: p.at ?? p.holder,
    ...(p.incident ? { incident: p.incident } : {}),
    expect: expectedOf(p),
  };
}

/**
 * Adds a run and its packs to `truth`, then drops the oldest runs (never the last) while it holds
 * more than `keepPacks` packs.
 */
export function recordRun(
  truth: GroundTruth,
  run: Omit<GroundTruth['runs'][number], 'packs'>,
  packs: TruthPack[],
  keepPacks = Infinity,
): void {
  truth.runs.push({ ...run, packs: packs.length });
  truth.packs.push(...packs);
  // Packs are appended run by run, so the oldest run's packs are the first ones.
  while (truth.packs.length > keepPacks && truth.runs.length > 1) {
    truth.packs.splice(0, truth.runs.shift()!.packs);
  }
}

/** Writes the ground truth as JSON (to a temporary file first, so a reader never sees half of it). */
export async function writeGroundTruth(path: string, truth: GroundTruth): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, `${JSON.stringify(truth, null, 1)}\n`);
  await rename(`${path}.tmp`, path);
}

/** Reads a ground truth file; throws naming the file and what is wrong with it. */
export async function readGroundTruth(path: string): Promise<GroundTruth> {
  let truth: GroundTruth;
  try {
    truth = JSON.parse(await readFile(path, 'utf8')) as GroundTruth;
  } catch (e) {
    throw new Error(`ground truth ${path}: ${(e as Error).message} (run rxledger simulate first)`, {
      cause: e,
    });
  }
  if (truth.version !== 1 || !Array.isArray(truth.packs)) {
    throw new Error(`ground truth ${path}: not a version 1 ground truth file (version, packs)`);
  }
  return truth;
}
