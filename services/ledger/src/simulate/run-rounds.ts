import { formatBracketed } from '@rxledger/gs1';
import { verifyPack } from './check-quality.ts';
import type { Showcase, TruthPack } from './ground-truth.ts';
import type { SimPlan } from './plan-simulation.ts';
import type { Progress } from './post-uploads.ts';
import { emptyTruth, runSimulation } from './run-simulation.ts';
import type { SimOptions } from './sim-book.ts';
import type { SimAccess, SimNetwork } from './sim-network.ts';

export type Mess = Pick<SimOptions, 'late' | 'dup' | 'resend' | 'shuffle'>;
export const NO_MESS: Mess = { late: 0, dup: 0, resend: 0, shuffle: 0 };

export interface RoundsOptions {
  seed: number;
  /** Packs per round. */
  packs: number;
  rate: number;
  mess: Mess;
  truthFile: string;
  /** The newest packs the ground truth keeps (default 20,000: about 5 MB). */
  keepPacks?: number;
  signal: AbortSignal;
  /** Told after each round is folded and written down. */
  onRound?: (plan: SimPlan, round: number) => void | Promise<void>;
  onProgress?: (p: Progress) => void;
  /** A round that failed (a service restarting): the next one starts after a pause. */
  onError?: (err: Error) => void;
}

/**
 * Runs rounds of `packs` packs until `signal` aborts: a living network. The first round has no mess
 * and no rate limit, so that what the demo prints is in the ledger within seconds; every round is a new run (seed +
 * round, its own clock), and the ground truth keeps the newest rounds' packs.
 */
export async function runRounds(network: SimNetwork, access: SimAccess, o: RoundsOptions): Promise<void> {
  const truth = emptyTruth();
  for (let round = 0; !o.signal.aborted; round++) {
    // One recalled lot for the whole network (in the first round), not one a minute.
    const mess = round === 0 ? NO_MESS : o.mess;
    const sim = { seed: o.seed + round, packs: o.packs, ...mess, recall: round === 0, t0: Date.now() };
    try {
      // The first round as fast as the services take it: its serials are the ones printed to try.
      const rate = round === 0 ? 0 : o.rate;
      const keepPacks = o.keepPacks ?? 20_000;
      const { plan } = await runSimulation(network, access, sim, { ...o, rate, truth, keepPacks });
      if (!o.signal.aborted) await o.onRound?.(plan, round);
    } catch (e) {
      if (o.signal.aborted) return;
      o.onError?.(e as Error);
      await new Promise((r) => setTimeout(r, 5_000));
    }
  }
}

/** The printed serials with the answers the ledger gives them now, as lines for a terminal. */
export async function showcaseLines(showcase: Showcase, access: SimAccess): Promise<string[]> {
  const lines: string[] = [];
  for (const name of ['genuine', 'clone', 'recalled', 'dispensed'] as const) {
    const pack = showcase[name];
    if (!pack) continue;
    const got = await verifyPack(pack, access);
    const answer = `${got.verdict}, ${got.dispensable ? 'dispensable' : 'not dispensable'}${got.alerts.length ? `: ${got.alerts.join(', ')}` : ''}`;
    lines.push(`  ${name.padEnd(10)} ${scanOf(pack)}   -> ${answer}`);
  }
  return lines;
}

/** A pack as a bracketed element string, the form a person can type into the counter page. */
export const scanOf = (p: TruthPack) =>
  formatBracketed([
    ['01', p.gtin],
    ['21', p.serial],
    ['10', p.lot],
    ['17', p.expiry],
  ]);
