// The regulator view's other panels: the recall scope of a lot (table and CSV), the rejection list,
// and the current checkpoint checked against the trust anchors. Each draws into its own output element
// and says what went wrong in words when a request fails.
import { verifyCheckpoint } from '@rxledger/tlog';
import type { VerifierTrust } from '@rxledger/verifier';
import { toCsv } from './csv.ts';
import { el } from './dom.ts';
import { ledgerGet, ledgerJson } from './ledger-client.ts';
import { type ScopePage, scopeView } from './recall-view.ts';

/** At most this many packs are fetched for one lot (20 pages of 1,000); the summary says so. */
const MAX_SCOPE_PAGES = 20;

export function table(
  caption: string,
  header: readonly string[],
  rows: readonly string[][],
): HTMLTableElement {
  const t = el('table', 'grid');
  t.append(el('caption', '', caption));
  const head = el('tr', '');
  for (const h of header) head.append(el('th', '', h));
  t.append(head);
  for (const row of rows) {
    const tr = el('tr', '');
    // An empty cell reads as nothing at all: say "none" so every column has something in it.
    for (const c of row) tr.append(el('td', c ? '' : 'none', c || 'none'));
    t.append(tr);
  }
  return t;
}

export function downloadLink(label: string, text: string, type: string, fileName: string): HTMLAnchorElement {
  const link = el('a', 'download', label);
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = fileName;
  return link;
}

/** Fetches every page of a lot's recall scope and draws its summary, table and CSV link. */
export async function showRecallScope(
  out: HTMLElement,
  gtin: string,
  lot: string,
  token: string,
): Promise<void> {
  const pages: ScopePage[] = [];
  let after: string | undefined;
  do {
    const query = new URLSearchParams({ gtin, lot, limit: '1000', ...(after ? { after } : {}) });
    const answer = await ledgerJson<ScopePage>(`/v1/recalls/scope?${query}`, token);
    if (!answer.ok) return say(out, answer.problem);
    pages.push(answer.body);
    after = answer.body.next;
  } while (after !== undefined && pages.length < MAX_SCOPE_PAGES);
  const view = scopeView(pages);
  const counts = view.counts.map(([status, n]) => `${status} ${n}`).join(' · ');
  out.replaceChildren(
    el('p', 'subject', view.summary),
    el('p', '', view.recall),
    el('p', 'hint', counts === '' ? 'No pack of this lot is on the ledger.' : `By status: ${counts}`),
    table(
      `Packs of lot ${lot}`,
      ['Pack', 'Status', 'Held by', 'At site', 'In container', 'In transit to', 'Anomalies'],
      view.rows,
    ),
    downloadLink('Download as CSV', view.csv, 'text/csv', view.csvName),
  );
}

interface RejectionsPage {
  count: number;
  rejections: Array<{
    receivedAt: string;
    party: string;
    eventId: string;
    type: string;
    code: string;
    message: string;
  }>;
  next?: string;
}

const REJECTION_COLUMNS = ['Received', 'Party', 'Event', 'Type', 'Code', 'Reason'];

/** The latest page of rejections (filtered by party and reason when given), newest first. */
export async function showRejections(
  out: HTMLElement,
  filter: { party: string; reason: string },
  token: string,
): Promise<void> {
  const query = new URLSearchParams({ limit: '100' });
  if (filter.party) query.set('party', filter.party);
  if (filter.reason) query.set('reason', filter.reason);
  const answer = await ledgerJson<RejectionsPage>(`/v1/rejections?${query}`, token);
  if (!answer.ok) return say(out, answer.problem);
  const rows = answer.body.rejections.map((r) =>
    [r.receivedAt, r.party, r.eventId, r.type, r.code, r.message].map((v) => v ?? ''),
  );
  if (rows.length === 0) return out.replaceChildren(el('p', 'hint', 'No rejected record matches.'));
  out.replaceChildren(
    el('p', 'hint', `${answer.body.count} rejections in all; the latest ${rows.length} shown, newest first.`),
    table('Rejected records', REJECTION_COLUMNS, rows),
    downloadLink('Download as CSV', toCsv(REJECTION_COLUMNS, rows), 'text/csv', 'rejections.csv'),
  );
}

/** The ledger's current checkpoint, its signature checked here against the anchors. */
export async function showCheckpoint(
  out: HTMLElement,
  trust: VerifierTrust | undefined,
  token: string,
): Promise<void> {
  const answer = await ledgerGet('/v1/checkpoint', token, 'text/plain');
  if (!answer.ok) return say(out, answer.problem);
  const note = el('pre', 'note', answer.text);
  if (!trust)
    return out.replaceChildren(el('p', 'advice', 'Set the trust anchors to check its signature.'), note);
  try {
    const cp = verifyCheckpoint(
      answer.text,
      trust.checkpointKey,
      trust.origin ? { origin: trust.origin } : {},
    );
    const line = `Signature verified: ${cp.origin}, size ${cp.size}.`;
    out.dataset.tone = 'ok';
    out.replaceChildren(el('p', 'verdict-line verdict-line--ok', `✓ ${line}`), note);
  } catch (e) {
    out.dataset.tone = 'bad';
    out.replaceChildren(
      el('p', 'verdict-line verdict-line--bad', `✕ Not verified: ${(e as Error).message}`),
      note,
    );
  }
}

function say(out: HTMLElement, problem: string): void {
  out.dataset.tone = 'error';
  out.replaceChildren(el('p', 'advice', problem));
}
