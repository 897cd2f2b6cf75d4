import { parseArgs } from 'node:util';
import type { ProgressStream } from '@rxledger/runtime';
import { checkQuality, formatQuality, readGroundTruth, readNetwork } from '../simulate/index.ts';
import { progressBar } from './simulate-command.ts';

export const QUALITY_USAGE = `rxledger quality [--credentials FILE] [--truth FILE] [--concurrency N]

Verifies every pack the simulator planted through the ledger (GET /v1/verify, as the party where
the pack is, with that party's ledger token) and prints false alerts (genuine, correctly handled
packs that got anything but the answer due) and the planted incidents found, with their codes.
  --credentials FILE  ledger URL and the parties' ledger tokens (default data/demo/credentials.json)
  --truth FILE        what rxledger simulate planted (default data/demo/ground-truth.json)
  --concurrency N     verifies in flight at once (default 8)
Exit status: 0 with no false alert and every incident found, 1 otherwise or when the ledger cannot
be asked, 2 on a usage error.`;

/** `rxledger quality`: returns the exit status. */
export async function qualityCommand(
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void,
  progressStream: ProgressStream = process.stderr,
): Promise<number> {
  let values: { credentials: string; truth: string; concurrency?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        credentials: { type: 'string', default: 'data/demo/credentials.json' },
        truth: { type: 'string', default: 'data/demo/ground-truth.json' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }) as { values: typeof values });
  } catch (e) {
    err(`rxledger quality: ${(e as Error).message}\n\n${QUALITY_USAGE}`);
    return 2;
  }
  if (values.help) {
    out(QUALITY_USAGE);
    return 0;
  }
  const concurrency = Number(values.concurrency ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    err(`rxledger quality: --concurrency: '${values.concurrency}' is not a whole number from 1 to 256`);
    return 2;
  }
  try {
    const { access } = await readNetwork(values.credentials);
    const truth = await readGroundTruth(values.truth);
    const report = await checkQuality(truth, access, {
      concurrency,
      onProgress: progressBar('quality packs verified', progressStream),
    });
    for (const line of formatQuality(report)) out(line);
    return report.falseAlerts.length === 0 && report.missed.length === 0 ? 0 : 1;
  } catch (e) {
    err(`rxledger quality: ${(e as Error).message}`);
    return 1;
  }
}
