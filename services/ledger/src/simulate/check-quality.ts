import type { VerifyAnswer } from '../answers/judge-verify.ts';
import type { GroundTruth, TruthPack } from './ground-truth.ts';
import type { Progress } from './post-uploads.ts';
import type { IncidentKind } from './sim-book.ts';
import type { SimAccess } from './sim-network.ts';

/** A pack whose answer was not the one due: what it is, and what the ledger said. */
export interface Miss {
  pack: TruthPack;
  got: Pick<VerifyAnswer, 'verdict' | 'status' | 'dispensable'> & { alerts: readonly string[] };
}

export interface QualityReport {
  genuine: number;
  /** Genuine, correctly handled packs that got anything but the answer due. */
  falseAlerts: Miss[];
  /** Per incident kind: planted, found, and the alert codes verify raised for them. */
  incidents: Partial<Record<IncidentKind, { planted: number; found: number; codes: string[] }>>;
  missed: Miss[];
}

/**
 * Whether a verify answer is the one due: a genuine pack's verdict, status, dispensability and alert
 * codes exactly; for an incident, every code it must raise and not dispensable. Pure.
 */
export function answerIsDue(pack: TruthPack, got: Miss['got']): boolean {
  const e = pack.expect;
  const codes = [...new Set(got.alerts)].sort();
  if (pack.incident) return !got.dispensable && e.alerts.every((c) => codes.includes(c));
  return (
    got.verdict === e.verdict &&
    got.status === e.status &&
    got.dispensable === e.dispensable &&
    codes.join() === [...e.alerts].sort().join()
  );
}

/** How a check asks: `verify` answers one pack (default: the ledger's read-only verify). */
export interface CheckOptions {
  concurrency?: number;
  onProgress?: (p: Progress) => void;
  verify?: (pack: TruthPack) => Promise<Miss['got']>;
}

/**
 * Verifies every pack of the ground truth through the ledger's GET /v1/verify, as the party where it
 * is (its own ledger token, its GLN as `at`), `concurrency` at a time, and sorts the answers.
 */
export async function checkQuality(
  truth: GroundTruth,
  access: SimAccess,
  opts: CheckOptions = {},
): Promise<QualityReport> {
  const verify = opts.verify ?? ((pack: TruthPack) => verifyPack(pack, access));
  const report: QualityReport = { genuine: 0, falseAlerts: [], incidents: {}, missed: [] };
  const started = Date.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < truth.packs.length) {
      const pack = truth.packs[next++]!;
      tally(report, pack, await verify(pack));
      done++;
      opts.onProgress?.({
        done,
        total: truth.packs.length,
        rate: done / Math.max(0.001, (Date.now() - started) / 1000),
      });
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  return report;
}

function tally(report: QualityReport, pack: TruthPack, got: Miss['got']): void {
  const due = answerIsDue(pack, got);
  if (!pack.incident) {
    report.genuine++;
    if (!due) report.falseAlerts.push({ pack, got });
    return;
  }
  const kind = (report.incidents[pack.incident] ??= { planted: 0, found: 0, codes: [] });
  kind.planted++;
  if (due) kind.found++;
  else report.missed.push({ pack, got });
  kind.codes = [...new Set([...kind.codes, ...got.alerts])].sort();
}

/** One pack verified through the ledger as the party `pack.at`, with that party's ledger token. */
export async function verifyPack(pack: TruthPack, access: SimAccess): Promise<Miss['got']> {
  const token = access.ledgerToken.get(pack.at);
  if (!token) throw new Error(`credentials: no ledger token for party ${pack.at}`);
  const q = new URLSearchParams({
    gtin: pack.gtin,
    serial: pack.serial,
    lot: pack.lot,
    expiry: pack.expiry,
    at: pack.at,
  });
  return askVerify(`${access.ledgerUrl}/v1/verify?${q}`, token);
}

/** A verify answer from `url` with the bearer `token`, as the quality checks compare it. */
export async function askVerify(url: string, token: string): Promise<Miss['got'] & { answer: VerifyAnswer }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const a = (await res.json()) as VerifyAnswer;
  return {
    verdict: a.verdict,
    status: a.status,
    dispensable: a.dispensable,
    alerts: a.alerts.map((x) => x.code),
    answer: a,
  };
}

/** The report as plain lines for a terminal or a log. */
export function formatQuality(r: QualityReport): string[] {
  const planted = Object.values(r.incidents).reduce((n, k) => n + k.planted, 0);
  const found = Object.values(r.incidents).reduce((n, k) => n + k.found, 0);
  const lines = [`genuine packs   ${r.genuine}, false alerts ${r.falseAlerts.length}`];
  for (const m of r.falseAlerts) lines.push(`  false alert   ${describe(m)}`);
  lines.push(
    `incidents       ${found} of ${planted} found (${planted ? ((100 * found) / planted).toFixed(1) : '100.0'}%)`,
  );
  for (const [kind, k] of Object.entries(r.incidents)) {
    lines.push(
      `  ${kind.padEnd(16)} ${k.found}/${k.planted} found   codes ${k.codes.join(', ') || '(none)'}`,
    );
  }
  for (const m of r.missed) lines.push(`  missed        ${describe(m)}`);
  return lines;
}

function describe({ pack, got }: Miss): string {
  const want = pack.expect;
  return (
    `(01)${pack.gtin}(21)${pack.serial} at ${pack.at}${pack.incident ? ` [${pack.incident}]` : ''}: got ${got.verdict} ${got.status}` +
    `${got.dispensable ? ' dispensable' : ''} [${got.alerts.join(', ')}], expected ${want.verdict ?? ''} ${want.status ?? ''} [${want.alerts.join(', ')}]`
  );
}
