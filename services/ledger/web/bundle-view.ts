// The regulator's reading of a bundle check: pure, so the words and marks are tested without a
// browser; regulator.ts only puts them on the screen. Everything shown as verified comes from the
// verifier's report (decoded from the signed leaves), never from the ledger's own timeline.
import type { BundleReport, CheckName } from '@rxledger/verifier';

export type Mark = 'ok' | 'bad';

export interface BundleView {
  tone: 'ok' | 'bad';
  headline: string;
  /** What the verdict rests on, in one sentence. */
  basis: string;
  checkpoint?: string;
  timeline: Array<{
    index: number;
    mark: Mark;
    when: string;
    what: string;
    effect: string;
    party: string;
    site: string;
    /** The anomalies the ledger reported at this leaf (its word, not checked here). */
    anomalies: string[];
  }>;
  /** One row per kind of check: how many passed, and the first failure's detail. */
  checks: Array<{ what: CheckName; mark: Mark; passed: number; total: number; detail?: string }>;
}

/** The view of `report`; `anomalies` are the ledger's anomaly notes by leaf index, if it gave any. */
export function bundleView(
  report: BundleReport,
  anomalies: ReadonlyMap<number, string[]> = new Map(),
): BundleView {
  const failed = report.checks.filter((c) => !c.ok);
  const cp = report.checkpoint;
  return {
    tone: report.ok ? 'ok' : 'bad',
    headline: report.ok
      ? 'Verified'
      : `Not verified: ${failed.length} of ${report.checks.length} checks failed`,
    basis: report.ok
      ? `Every entry is in the log the checkpoint signs, signed by a key the registry held, and linked to the one before, checked in this browser against the trust anchors.`
      : 'Do not rely on this history. The failed checks below say what did not hold.',
    ...(cp
      ? {
          checkpoint: `${cp.origin}, size ${cp.size}, root ${cp.rootHex.slice(0, 16)}…, signed by ${cp.signedBy}`,
        }
      : {}),
    timeline: timelineOf(report, anomalies),
    checks: groupChecks(report),
  };
}

/** The entries as decoded, each party named as the bundle's registry names it, and every leaf that
 *  could not be read in its place, so a gap in the history is never silent. */
function timelineOf(report: BundleReport, anomalies: ReadonlyMap<number, string[]>): BundleView['timeline'] {
  const names = partyNames(report);
  const named = (gln: string) => (names.has(gln) ? `${names.get(gln)} (${gln})` : gln);
  const rows: BundleView['timeline'] = report.timeline.map((t) => ({
    index: t.index,
    mark: t.verified ? 'ok' : 'bad',
    when: t.eventTime,
    what: t.type,
    effect: t.effect,
    party: named(t.party),
    site: t.site,
    anomalies: anomalies.get(t.index) ?? [],
  }));
  const shown = new Set(rows.map((r) => r.index));
  const registry = new Set(report.registry.map((r) => r.index));
  for (const c of report.checks) {
    if (c.what !== 'leaf decoding' || c.ok || c.index === undefined || shown.has(c.index)) continue;
    if (registry.has(c.index)) continue;
    shown.add(c.index);
    const unread = {
      when: '',
      what: 'UNREADABLE',
      effect: 'this leaf could not be read',
      party: '',
      site: '',
    };
    rows.push({ index: c.index, mark: 'bad', ...unread, anomalies: anomalies.get(c.index) ?? [] });
  }
  return rows.sort((a, b) => a.index - b.index);
}

/** GLN → name, from the AddParty changes of the registry leaves that verified. */
function partyNames(report: BundleReport): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of report.registry) {
    if (!r.verified) continue;
    const changes = (r.event as { changes?: Array<{ kind?: unknown; gln?: unknown; name?: unknown }> })
      .changes;
    for (const c of changes ?? [])
      if (c.kind === 'AddParty' && typeof c.gln === 'string' && typeof c.name === 'string')
        names.set(c.gln, c.name);
  }
  return names;
}

function groupChecks(report: BundleReport): BundleView['checks'] {
  const rows = new Map<CheckName, BundleView['checks'][number]>();
  for (const c of report.checks) {
    const row = rows.get(c.what) ?? { what: c.what, mark: 'ok' as Mark, passed: 0, total: 0 };
    row.total += 1;
    if (c.ok) row.passed += 1;
    else if (row.mark === 'ok') {
      row.mark = 'bad';
      row.detail = c.index === undefined ? c.detail : `leaf ${c.index}: ${c.detail ?? 'failed'}`;
    }
    rows.set(c.what, row);
  }
  return [...rows.values()];
}

/** The anomaly notes of a provenance answer's `timeline`, by leaf index; anything malformed is left out. */
export function anomaliesOf(answer: unknown): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const timeline = (answer as { timeline?: unknown } | null)?.timeline;
  if (!Array.isArray(timeline)) return out;
  for (const entry of timeline as Array<{ index?: unknown; anomalies?: unknown }>) {
    if (typeof entry?.index !== 'number' || !Array.isArray(entry.anomalies)) continue;
    out.set(
      entry.index,
      entry.anomalies.filter((a): a is string => typeof a === 'string'),
    );
  }
  return out;
}

/** One holder of the pack in the custody picture: a run of consecutive entries signed by one party. */
export interface CustodyStation {
  party: string;
  mark: Mark;
  /** What happened there, in order (e.g. "commissioned", "packed into …", "shipped to …"). */
  steps: string[];
  anomalies: string[];
}

/**
 * The custody picture of a verified timeline: manufacturer → distributors → pharmacy, one station per
 * run of entries by one party, with what happened there (containers included) and the anomalies the
 * ledger noted. A station is marked bad when any of its entries failed a check.
 */
export function custodyPicture(view: BundleView): CustodyStation[] {
  const stations: CustodyStation[] = [];
  for (const t of view.timeline) {
    const last = stations.at(-1);
    const station =
      last && last.party === t.party
        ? last
        : { party: t.party || 'unreadable leaf', mark: 'ok' as Mark, steps: [], anomalies: [] };
    if (station !== last) stations.push(station);
    station.steps.push(t.effect);
    station.anomalies.push(...t.anomalies);
    if (t.mark === 'bad') station.mark = 'bad';
  }
  return stations;
}
