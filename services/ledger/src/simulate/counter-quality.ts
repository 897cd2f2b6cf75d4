import { sgtinUri } from '@rxledger/gs1';
import { FALSIFICATION_CODES } from '../alerts/falsification.ts';
import {
  askVerify,
  type CheckOptions,
  checkQuality,
  type Miss,
  type QualityReport,
  verifyPack,
} from './check-quality.ts';
import type { GroundTruth, TruthPack } from './ground-truth.ts';
import { INCIDENT_ALERTS } from './plant-incidents.ts';
import type { IncidentKind } from './sim-book.ts';
import type { SimAccess, SimNetwork } from './sim-network.ts';

/** A counter verify's answer: what quality checks, and the alert the scan raised or joined. */
export type CounterGot = Miss['got'] & { alert?: { id: string; code: string } };

/** An alert as GET /v1/alerts lists it (the fields the check reads). */
export interface ListedAlert {
  id: string;
  item: string;
  code: string;
  status: string;
  healed: boolean;
  pharmacy: string;
  manufacturer: string | null;
}

/** Per incident kind: packs, alerts due (one per pack whose incident is a potential falsification), raised, and how many went wrong. */
export interface AlertTally {
  packs: number;
  due: number;
  raised: number;
  /** Packs with exactly the alerts due (one, or none for a kind that is no falsification). */
  right: number;
  /** Alerts not routed to the GTIN's manufacturer or not at the scanning pharmacy. */
  misrouted: number;
}

export interface CounterReport {
  quality: QualityReport;
  incidents: Partial<Record<IncidentKind, AlertTally>>;
  /** Alerts on genuine packs: all must be healed (explained by late data). */
  genuine: { raised: number; healed: number };
  /** Each pack whose alerts are not the ones due, in words. */
  problems: string[];
}

/**
 * One pack verified as the pharmacist at `pack.at` verifies it: through the pharmacy service with
 * that pharmacy's counter scanner key, so a potential falsification raises an alert.
 */
export async function counterVerify(pack: TruthPack, access: SimAccess): Promise<CounterGot> {
  const key = access.counterKey.get(pack.at);
  if (!key) throw new Error(`credentials: no counter scanner key for pharmacy ${pack.at}`);
  const q = new URLSearchParams({ gtin: pack.gtin, serial: pack.serial, lot: pack.lot, expiry: pack.expiry });
  const { answer, ...got } = await askVerify(`${access.serviceUrl.pharmacy}/v1/verify?${q}`, key);
  return { ...got, ...(answer.alert ? { alert: { id: answer.alert.id, code: answer.alert.code } } : {}) };
}

export async function checkCounterQuality(
  truth: GroundTruth,
  network: SimNetwork,
  access: SimAccess,
  opts: Omit<CheckOptions, 'verify'> = {},
): Promise<CounterReport> {
  const regulator = access.regulatorToken;
  if (!regulator) throw new Error('credentials: ledger.regulatorToken: required to read the alerts raised');
  const named = new Set<string>();
  const quality = await checkQuality(truth, access, {
    ...opts,
    verify: async (pack) => {
      if (!access.counterKey.has(pack.at)) return verifyPack(pack, access);
      const got = await counterVerify(pack, access);
      if (got.alert) named.add(got.alert.id);
      return got;
    },
  });
  await waitForAlerts(named, access.ledgerUrl, regulator);
  const alerts = await readAlerts(access.ledgerUrl, regulator);
  return { quality, ...judgeAlerts(truth.packs, alerts, network) };
}

/** How many alerts a pack's counter scan must leave: one for a potential falsification, else none. Pure. */
export function alertsDue(pack: TruthPack, atPharmacy: boolean): number {
  if (!pack.incident || !atPharmacy) return 0;
  const codes: readonly string[] = FALSIFICATION_CODES;
  return INCIDENT_ALERTS[pack.incident].some((c) => codes.includes(c)) ? 1 : 0;
}

/** The alerts on the ground truth's packs, against what each pack is due. Pure. */
export function judgeAlerts(
  packs: readonly TruthPack[],
  alerts: readonly ListedAlert[],
  network: SimNetwork,
): Omit<CounterReport, 'quality'> {
  const byItem = new Map<string, ListedAlert[]>();
  for (const a of alerts) byItem.set(a.item, [...(byItem.get(a.item) ?? []), a]);
  const pharmacies = new Set(network.pharmacies.map((p) => p.gln));
  const owner = (gtin: string) => network.manufacturers.find((m) => m.gtins.includes(gtin))?.gln ?? null;
  const out: Omit<CounterReport, 'quality'> = {
    incidents: {},
    genuine: { raised: 0, healed: 0 },
    problems: [],
  };
  for (const pack of packs) {
    const name = `(01)${pack.gtin}(21)${pack.serial} at ${pack.at}`;
    const mine = byItem.get(sgtinUri(pack.gtin, pack.serial)) ?? [];
    if (!pack.incident) {
      out.genuine.raised += mine.length;
      out.genuine.healed += mine.filter((a) => a.healed).length;
      for (const a of mine.filter((x) => !x.healed))
        out.problems.push(`genuine ${name}: alert ${a.id} ${a.code} ${a.status}, not healed`);
      continue;
    }
    const t = (out.incidents[pack.incident] ??= { packs: 0, due: 0, raised: 0, right: 0, misrouted: 0 });
    const due = alertsDue(pack, pharmacies.has(pack.at));
    const wrong = mine.filter((a) => a.manufacturer !== owner(pack.gtin) || a.pharmacy !== pack.at);
    t.packs++;
    t.due += due;
    t.raised += mine.length;
    t.misrouted += wrong.length;
    if (mine.length === due) t.right++;
    else out.problems.push(`${pack.incident} ${name}: ${mine.length} alerts (${codesOf(mine)}), ${due} due`);
    for (const a of wrong)
      out.problems.push(
        `${pack.incident} ${name}: alert ${a.id} routed to ${a.manufacturer} at ${a.pharmacy}, due ${owner(pack.gtin)} at ${pack.at}`,
      );
  }
  return out;
}

const codesOf = (alerts: readonly ListedAlert[]) => alerts.map((a) => a.code).join(', ') || 'none';

/** Waits until the ledger has folded every alert id a counter answer named (the raise is in Kafka, not yet folded). */
async function waitForAlerts(ids: Set<string>, ledgerUrl: string, token: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (const id of ids) {
    for (;;) {
      const res = await fetch(`${ledgerUrl}/v1/alerts/${encodeURIComponent(id)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.body?.cancel();
      if (res.ok) break;
      if (res.status !== 404) throw new Error(`${ledgerUrl}/v1/alerts/${id} answered ${res.status}`);
      if (Date.now() > deadline)
        throw new Error(`the ledger has not folded alert ${id} after ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Every alert the ledger holds, as the regulator sees them, page by page. */
export async function readAlerts(ledgerUrl: string, token: string): Promise<ListedAlert[]> {
  const all: ListedAlert[] = [];
  for (let before: string | undefined; ;) {
    const q = new URLSearchParams({ limit: '200', ...(before ? { before } : {}) });
    const url = `${ledgerUrl}/v1/alerts?${q}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const page = (await res.json()) as { alerts: ListedAlert[]; next?: string };
    all.push(...page.alerts);
    if (!page.next) return all;
    before = page.next;
  }
}

/** The alert part of the report as plain lines. */
export function formatAlerts(r: CounterReport): string[] {
  const lines = ['alerts raised at the counter (GET /v1/alerts as the regulator)'];
  for (const [kind, t] of Object.entries(r.incidents)) {
    lines.push(
      `  ${kind.padEnd(16)} ${t.raised} alerts for ${t.packs} packs (${t.due} due), ${t.right}/${t.packs} right, ${t.misrouted} misrouted`,
    );
  }
  const { raised, healed } = r.genuine;
  lines.push(
    `genuine packs   ${raised} alerts, ${healed} healed by late data, ${raised - healed} not healed`,
  );
  for (const p of r.problems) lines.push(`  problem       ${p}`);
  return lines;
}
