import { parseArgs } from 'node:util';
import { createProgress, type ProgressStream } from '@rxledger/runtime';
import {
  type Mess,
  type Progress,
  readNetwork,
  runRounds,
  runSimulation,
  showcaseLines,
} from '../simulate/index.ts';

export const SIMULATE_USAGE = `rxledger simulate [--credentials FILE] [--seed N] [--packs N] [--rate N]
                  [--late P] [--dup P] [--resend P] [--shuffle P] [--truth FILE]

Posts the life of simulated packs (commission, aggregate into cases and pallets, ship, receive,
disaggregate, dispense, decommission, recall) through the running partner services, as their
scanners would, with planted incidents (clones, counterfeit serials, lot and expiry mismatches,
diverted packs, double dispenses, stolen packs resold, a recalled lot), and writes what it planted.
  --credentials FILE  the parties, services, scanner keys and ledger tokens (default
                      data/demo/credentials.json, written by npm start)
  --seed N            the same seed and options plan the same events (default 1)
  --packs N           packs in all, then stop once the ledger has folded them; without it, rounds
                      of 60 packs until Ctrl-C
  --rate N            events per second at most (default 5; 0: as fast as the services take them)
  --late P            share of events uploaded hours to days after they happened (default 0.1)
  --dup P             share of upload batches posted twice (default 0.02)
  --resend P          share of batches resent a few uploads later, as after a timeout (default 0.01)
  --shuffle P         share of batches whose events come out of order (default 0.05)
  --truth FILE        the ground truth for rxledger quality (default data/demo/ground-truth.json)
Exit status: 0 when all was posted and folded, 1 when a service refused or failed, 2 on a usage error.`;

const NUMBERS = ['seed', 'packs', 'rate', 'late', 'dup', 'resend', 'shuffle'] as const;

/** `rxledger simulate`: returns the exit status. */
export async function simulateCommand(
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void,
  signal: AbortSignal,
  progressStream: ProgressStream = process.stderr,
): Promise<number> {
  let o: ReturnType<typeof simulateFlags>;
  try {
    o = simulateFlags(args);
  } catch (e) {
    err(`rxledger simulate: ${(e as Error).message}\n\n${SIMULATE_USAGE}`);
    return 2;
  }
  if (o.help) {
    out(SIMULATE_USAGE);
    return 0;
  }
  try {
    const { network, access } = await readNetwork(o.credentials);
    if (o.packs === undefined) {
      await runRounds(network, access, {
        ...o,
        packs: 60,
        signal,
        onProgress: progressLines(out),
        onError: (e) => err(`simulate: round failed: ${e.message}`),
        onRound: async (plan, round) => {
          out(`simulate  round ${round + 1}: ${plan.packs.length} packs, ${plan.events} events folded`);
          if (round === 0) for (const line of await showcaseLines(plan.showcase, access)) out(line);
        },
      });
      return 0;
    }
    const started = Date.now();
    const { plan } = await runSimulation(
      network,
      access,
      { seed: o.seed, packs: o.packs, ...o.mess, t0: Date.now() },
      {
        rate: o.rate,
        truthFile: o.truthFile,
        onProgress: progressBar('simulate events', progressStream),
        signal,
      },
    );
    if (signal.aborted) {
      err(`rxledger simulate: interrupted before everything was posted; ${o.truthFile} not written`);
      return 1;
    }
    const copies = plan.uploads.filter((u) => u.copy !== 'first').length;
    out(
      `simulate  ${plan.packs.length} packs, ${plan.events} events in ${plan.uploads.length} uploads ` +
        `(${copies} duplicates or resends), folded in ${((Date.now() - started) / 1000).toFixed(1)} s; ground truth ${o.truthFile}`,
    );
    return 0;
  } catch (e) {
    err(`rxledger simulate: ${(e as Error).message}`);
    return 1;
  }
}

function simulateFlags(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      credentials: { type: 'string', default: 'data/demo/credentials.json' },
      truth: { type: 'string', default: 'data/demo/ground-truth.json' },
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(NUMBERS.map((n) => [n, { type: 'string' }])),
    },
    strict: true,
  }) as { values: Record<string, string | boolean | undefined> };
  const num = (name: (typeof NUMBERS)[number], dflt: number, max = Number.MAX_SAFE_INTEGER) => {
    const v = values[name] === undefined ? dflt : Number(values[name]);
    if (!Number.isFinite(v) || v < 0 || v > max)
      throw new Error(`--${name}: '${values[name]}' is not a number from 0 to ${max}`);
    return v;
  };
  const mess: Mess = {
    late: num('late', 0.1, 1),
    dup: num('dup', 0.02, 1),
    resend: num('resend', 0.01, 1),
    shuffle: num('shuffle', 0.05, 1),
  };
  const packs = values.packs === undefined ? undefined : num('packs', 0, 1_000_000);
  if (packs !== undefined && !Number.isInteger(packs))
    throw new Error(`--packs: '${values.packs}' is not a whole number`);
  return {
    help: values.help === true,
    credentials: values.credentials as string,
    truthFile: values.truth as string,
    seed: Math.trunc(num('seed', 1)),
    packs,
    rate: num('rate', 5),
    mess,
  };
}

/**
 * A progress bar (plain lines when `stream` is not a terminal) fed by the simulator's reports; the
 * total is known from the first report, and the bar ends at the last.
 */
export function progressBar(label: string, stream: ProgressStream): (p: Progress) => void {
  let bar: ReturnType<typeof createProgress> | undefined;
  return (p) => {
    bar ??= createProgress({ label, total: p.total, stream });
    bar.set(p.done);
    if (p.done >= p.total) bar.finish();
  };
}

/** Plain progress lines for the endless rounds, at most one every two seconds, and the last one. */
export function progressLines(out: (line: string) => void): (p: Progress) => void {
  let shown = 0;
  return (p) => {
    if (p.done < p.total && Date.now() - shown < 2_000) return;
    shown = Date.now();
    out(`simulate  ${p.done}/${p.total} events posted, ${p.rate.toFixed(0)} events/s`);
  };
}
