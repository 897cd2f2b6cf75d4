// The simulator's network at the pharmacy counter, on the real broker (issue 18): its planted
// incidents each raise exactly one alert, routed to the GTIN's manufacturer; its late uploads, held
// back until the pharmacists have scanned the packs they concern, raise alerts that the ledger then
// heals by itself, and nothing else.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { qualityCommand } from '../services/ledger/src/cli/quality-command.ts';
import {
  answerIsDue,
  checkCounterQuality,
  counterVerify,
  readGroundTruth,
  readNetwork,
  runSimulation,
  type TruthPack,
} from '../services/ledger/src/simulate/index.ts';
import { simCredentialsOf } from './support/sim-credentials.ts';
import { GLN, startSystem, type TestSystem } from './support/system.ts';

/** Packs in the run: SIM_ALERT_PACKS overrides. */
const PACKS = Number(process.env.SIM_ALERT_PACKS ?? 600);

interface Alert {
  status: string;
  healed: boolean;
  manufacturer: string;
  steps: Array<{ kind: string; note: string | null }>;
}

describe('the simulated network at the counter: alerts for incidents, healed alerts for late uploads', () => {
  let sys: TestSystem;
  let dir: string;
  let credentials: string;
  let truth: string;

  beforeAll(async () => {
    sys = await startSystem(inject('kafkaBrokers'));
    dir = await mkdtemp(join(tmpdir(), 'rxledger-simalerts-'));
    credentials = join(dir, 'credentials.json');
    truth = join(dir, 'ground-truth.json');
    await writeFile(credentials, JSON.stringify(simCredentialsOf(sys)));
  });
  afterAll(async () => {
    await sys?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const alertOf = async (id: string): Promise<Alert> => {
    const res = await fetch(`${sys.ledgerUrl}/v1/alerts/${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${sys.regulatorToken}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Alert;
  };

  it(`heals every alert a late upload caused, and raises one routed alert per incident (${PACKS} packs, 20% late)`, async () => {
    const { network, access } = await readNetwork(credentials);
    // Before the late uploads land: every genuine pack at a pharmacy is scanned at its counter.
    const early: Array<{ pack: TruthPack; id: string; code: string }> = [];
    let scanned = 0;
    const { plan } = await runSimulation(
      network,
      access,
      { seed: 7, packs: PACKS, late: 0.2, dup: 0.05, resend: 0.01, shuffle: 0.05, t0: Date.now() },
      {
        rate: 0,
        truthFile: truth,
        beforeLate: async (p) => {
          for (const pack of p.packs.filter((x) => !x.incident && access.counterKey.has(x.at))) {
            const got = await counterVerify(pack, access);
            scanned++;
            if (got.alert) early.push({ pack, id: got.alert.id, code: got.alert.code });
          }
        },
      },
    );
    expect(plan.lateEvents.size).toBeGreaterThan(0);
    const codes = early.reduce<Record<string, number>>(
      (n, e) => ({ ...n, [e.code]: (n[e.code] ?? 0) + 1 }),
      {},
    );
    console.log(
      `late uploads: ${plan.lateEvents.size} of ${plan.events} events held back; ${scanned} genuine packs ` +
        `scanned at the counter before they landed raised ${early.length} alerts ${JSON.stringify(codes)}`,
    );
    expect(early.length).toBeGreaterThan(0);

    // runSimulation returned once the ledger folded the last late upload, after every raise: each
    // alert is closed as healed, its history kept, and the next counter verify is the answer due.
    for (const { pack, id } of early) {
      const alert = await alertOf(id);
      expect(alert, id).toMatchObject({ status: 'CLOSED', healed: true, manufacturer: GLN.maker });
      expect(alert.steps[0]!.kind).toBe('RAISED');
      expect(alert.steps.at(-1)).toMatchObject({ kind: 'HEALED', note: 'explained by late data' });
      const again = await counterVerify(pack, access);
      expect(answerIsDue(pack, again), `${id}: ${JSON.stringify(again)}`).toBe(true);
      expect(again.alert).toBeUndefined();
      if (pack.expect.status === 'ACTIVE') expect(again.verdict).toBe('VERIFIED');
    }

    // Then every pack at the counter, as `rxledger quality --counter` does.
    const report = await checkCounterQuality(await readGroundTruth(truth), network, access);
    expect(report.quality.falseAlerts).toEqual([]);
    expect(report.quality.missed).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(report.genuine).toEqual({ raised: early.length, healed: early.length });
    const alerting = Object.entries(report.incidents).filter(([kind]) => kind !== 'RECALLED');
    expect(alerting.map(([kind]) => kind).sort()).toEqual([
      'CLONE',
      'COUNTERFEIT',
      'DIVERTED',
      'DOUBLE_DISPENSE',
      'EXPIRY_MISMATCH',
      'LOT_MISMATCH',
      'STOLEN_RESOLD',
    ]);
    for (const [kind, t] of alerting) {
      expect(t, kind).toMatchObject({ due: t.packs, raised: t.packs, right: t.packs, misrouted: 0 });
    }
    // A recall is no potential falsification: recalled packs raise nothing.
    expect(report.incidents.RECALLED).toMatchObject({ due: 0, raised: 0 });

    // The command says the same, and a second pass raises nothing new (repeat scans join).
    const printed: string[] = [];
    const status = await qualityCommand(
      ['--counter', '--credentials', credentials, '--truth', truth],
      (l) => printed.push(l),
      (l) => printed.push(l),
      { write: () => true },
    );
    console.log(printed.join('\n'));
    expect(status).toBe(0);
    expect(printed).toContain(
      `genuine packs   ${early.length} alerts, ${early.length} healed by late data, 0 not healed`,
    );
  }, 180_000);
});
