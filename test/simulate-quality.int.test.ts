// The network simulator against a whole running system on the real broker: `rxledger simulate` posts
// a seeded network's packs with late uploads, duplicates, resends and planted incidents through the
// partner services over HTTP, then `rxledger quality` verifies every pack through the ledger.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { qualityCommand } from '../services/ledger/src/cli/quality-command.ts';
import { simulateCommand } from '../services/ledger/src/cli/simulate-command.ts';
import {
  checkQuality,
  formatQuality,
  readGroundTruth,
  readNetwork,
} from '../services/ledger/src/simulate/index.ts';
import { simCredentialsOf } from './support/sim-credentials.ts';
import { startSystem, type TestSystem } from './support/system.ts';

/** Packs per run: SIM_PACKS overrides (see the README for what 2000 takes on this machine). */
const PACKS = Number(process.env.SIM_PACKS ?? 2000);

describe('rxledger simulate, then rxledger quality', () => {
  let sys: TestSystem;
  let dir: string;
  let credentials: string;
  let truth: string;

  beforeAll(async () => {
    sys = await startSystem(inject('kafkaBrokers'));
    dir = await mkdtemp(join(tmpdir(), 'rxledger-sim-'));
    credentials = join(dir, 'credentials.json');
    truth = join(dir, 'ground-truth.json');
    await writeFile(credentials, JSON.stringify(simCredentialsOf(sys)));
  });
  afterAll(async () => {
    await sys?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`finds every planted incident and raises no false alert, with 20% late and 5% duplicated uploads (${PACKS} packs)`, async () => {
    const out: string[] = [];
    const err: string[] = [];
    const progress: string[] = [];
    const common = ['--credentials', credentials, '--truth', truth];
    const args = ['--seed', '7', '--packs', String(PACKS), '--late', '0.2', '--dup', '0.05', '--rate', '0'];
    const simulated = await simulateCommand(
      [...args, ...common],
      (l) => out.push(l),
      (l) => err.push(l),
      new AbortController().signal,
      { write: (text: string) => progress.push(text) },
    );
    console.log([...out, ...err].join('\n'));
    expect(err).toEqual([]);
    expect(simulated).toBe(0);
    // Not a terminal: plain progress lines, ending with the summary of every event posted.
    expect(progress.at(-1)).toMatch(/^simulate events: [\d,]+ in [\d.]+ s \(.*\)\n$/);

    const { access } = await readNetwork(credentials);
    const report = await checkQuality(await readGroundTruth(truth), access);
    console.log(formatQuality(report).join('\n'));
    expect(report.falseAlerts).toEqual([]);
    expect(report.missed).toEqual([]);
    expect(Object.keys(report.incidents).sort()).toEqual([
      'CLONE',
      'COUNTERFEIT',
      'DIVERTED',
      'DOUBLE_DISPENSE',
      'EXPIRY_MISMATCH',
      'LOT_MISMATCH',
      'RECALLED',
      'STOLEN_RESOLD',
    ]);
    expect(report.genuine).toBeGreaterThan(PACKS * 0.8);

    // The command prints the same report and exits 0.
    const printed: string[] = [];
    expect(
      await qualityCommand(
        common,
        (l) => printed.push(l),
        (l) => printed.push(l),
        { write: (text: string) => progress.push(text) },
      ),
    ).toBe(0);
    expect(progress.at(-1)).toMatch(/^quality packs verified: [\d,]+ in [\d.]+ s/);
    expect(printed).toContain(`genuine packs   ${report.genuine}, false alerts 0`);
  }, 600_000);
});
