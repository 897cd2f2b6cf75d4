import { parseArgs } from 'node:util';
import type { ProgressStream } from '@rxledger/runtime';
import {
  checkCounterQuality,
  checkQuality,
  formatAlerts,
  formatQuality,
  type QualityReport,
  readGroundTruth,
  readNetwork,
} from '../simulate/index.ts';
import { progressBar } from './simulate-command.ts';

export const QUALITY_USAGE = `rxledger quality [--credentials FILE] [--truth FILE] [--concurrency N] [--counter]

Verifies every pack the simulator planted through the ledger (GET /v1/verify, as the party where
the pack is, with that party's ledger token) and prints false alerts (genuine, correctly handled
packs that got anything but the answer due) and the planted incidents found, with their codes.
  --credentials FILE  ledger URL and the parties' ledger tokens (default data/demo/credentials.json)
  --truth FILE        what rxledger simulate planted (default data/demo/ground-truth.json)
  --concurrency N     verifies in flight at once (default 8)
  --counter           verify each pack at a pharmacy as its pharmacist does, through the pharmacy
                      service with its counter scanner key, so incidents raise alerts; then read
                      every alert as the regulator (ledger.regulatorToken in the credentials) and
                      check: exactly one per incident pack that is a potential falsification, routed
                      to the GTIN's manufacturer; on genuine packs only alerts healed by late data
Exit status: 0 with no false alert, every incident found (and with --counter every alert as due),
1 otherwise or when the ledger cannot be asked, 2 on a usage error.`;

/** `rxledger quality`: returns the exit status. */
export async function qualityCommand(
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void,
  progressStream: ProgressStream = process.stderr,
): Promise<number> {
  let values: { credentials: string; truth: string; concurrency?: string; counter?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        credentials: { type: 'string', default: 'data/demo/credentials.json' },
        truth: { type: 'string', default: 'data/demo/ground-truth.json' },
        concurrency: { type: 'string' },
        counter: { type: 'boolean' },
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
    const { network, access } = await readNetwork(values.credentials);
    const truth = await readGroundTruth(values.truth);
    const opts = { concurrency, onProgress: progressBar('quality packs verified', progressStream) };
    if (values.counter) {
      const r = await checkCounterQuality(truth, network, access, opts);
      for (const line of [...formatQuality(r.quality), ...formatAlerts(r)]) out(line);
      return qualityOk(r.quality) && r.problems.length === 0 ? 0 : 1;
    }
    const report = await checkQuality(truth, access, opts);
    for (const line of formatQuality(report)) out(line);
    return qualityOk(report) ? 0 : 1;
  } catch (e) {
    err(`rxledger quality: ${(e as Error).message}`);
    return 1;
  }
}

const qualityOk = (r: QualityReport) => r.falseAlerts.length === 0 && r.missed.length === 0;
