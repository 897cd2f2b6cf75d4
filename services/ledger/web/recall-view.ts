// The regulator's reading of a recall scope (GET /v1/recalls/scope, every page joined): pure, so the
// table, the summary and the CSV are tested without a browser; regulator.ts puts them on the screen.
import { toCsv } from './csv.ts';

/** One pack as the recall scope route answers it. */
export interface ScopePack {
  item: string;
  status: string;
  custodian?: string;
  location?: string;
  parent?: string;
  inTransitTo?: string;
  expiry?: string;
  anomalies: Array<{ code: string; index: number; message: string }>;
}

/** One page of GET /v1/recalls/scope. */
export interface ScopePage {
  gtin: string;
  lot: string;
  count: number;
  recalls: Array<{ index: number; eventTime: string; reason: string }>;
  packs: ScopePack[];
  next?: string;
}

export const SCOPE_COLUMNS = [
  'Pack',
  'Status',
  'Held by',
  'At site',
  'In container',
  'In transit to',
  'Anomalies',
] as const;

export interface ScopeView {
  summary: string;
  recall: string;
  /** Status → how many packs, most first. */
  counts: Array<[string, number]>;
  rows: string[][];
  csv: string;
  csvName: string;
}

/** The view of every page of one lot's scope (the first page's count is the lot's size). */
export function scopeView(pages: readonly ScopePage[]): ScopeView {
  const first = pages[0]!;
  const packs = pages.flatMap((p) => p.packs);
  const rows = packs.map((p) => [
    p.item,
    p.status,
    p.custodian ?? '',
    p.location ?? '',
    p.parent ?? '',
    p.inTransitTo ?? '',
    p.anomalies.map((a) => `${a.code} (leaf ${a.index})`).join('; '),
  ]);
  const counts = new Map<string, number>();
  for (const p of packs) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const shown =
    packs.length === first.count ? `${first.count} packs` : `${packs.length} of ${first.count} packs`;
  return {
    summary: `Lot ${first.lot} of GTIN ${first.gtin}: ${shown}.`,
    recall:
      first.recalls.length === 0
        ? 'No recall of this lot is on the ledger.'
        : first.recalls.map((r) => `Recalled ${r.eventTime} (leaf ${r.index}): ${r.reason}`).join(' '),
    counts: [...counts].sort((a, b) => b[1] - a[1]),
    rows,
    csv: toCsv(SCOPE_COLUMNS, rows),
    csvName: `recall-scope-${first.gtin}-${first.lot.replace(/[^A-Za-z0-9]+/g, '_')}.csv`,
  };
}
