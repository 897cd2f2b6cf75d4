// The regulator view's shell: trust anchors (this browser's localStorage: public keys only), the token
// (this tab's sessionStorage), a pack search or a bundle file, and the bundle verified here with the
// same verifier as `rxledger verify-bundle` before anything is shown as verified.
import {
  AnchorError,
  type AnchorText,
  credentialAnchors,
  credentialWitnessPolicy,
  readTrustAnchors,
  type VerifierTrust,
  verifyBundleText,
  warmVerifier,
} from '@rxledger/verifier';
import { anomaliesOf, type BundleView, bundleView, custodyPicture } from './bundle-view.ts';
import { byId, el } from './dom.ts';
import { normalizeScannerInput } from '@rxledger/gs1';
import { ledgerGet } from './ledger-client.ts';
import { downloadLink, showCheckpoint, showRecallScope, showRejections } from './regulator-panels.ts';
import { keepForOffline } from './offline.ts';

const ANCHORS_KEY = 'rxledger.regulator.anchors';
const TOKEN_KEY = 'rxledger.regulator.token';

const field = (id: string) => byId<HTMLInputElement>(id);
const anchorsState = byId<HTMLParagraphElement>('anchors-state');
const result = byId<HTMLElement>('result');

/** The anchors in use, or why there are none. */
function currentTrust(): { trust: VerifierTrust } | { problem: string } {
  const saved = savedAnchors();
  if (saved === undefined)
    return { problem: 'Set the trust anchors first: nothing can be verified without them.' };
  if (saved === 'unreadable') return { problem: 'The saved anchors cannot be read: set them again.' };
  try {
    return { trust: readTrustAnchors(saved) };
  } catch (e) {
    return { problem: `The saved anchors cannot be used: ${(e as Error).message}` };
  }
}

/** The anchors this browser kept (localStorage), if any. */
function savedAnchors(): AnchorText | undefined | 'unreadable' {
  try {
    return (JSON.parse(localStorage.getItem(ANCHORS_KEY) ?? 'null') as AnchorText | null) ?? undefined;
  } catch {
    return 'unreadable';
  }
}

/** Puts anchors in the form's fields (from the saved ones, or from a credentials file). */
function fillAnchorFields(text: AnchorText): void {
  field('checkpoint-key').value = text.checkpointKey;
  field('authority-key').value = text.authorityKey;
  field('origin').value = text.origin ?? '';
  byId<HTMLTextAreaElement>('witness-keys').value = text.witnesses?.keys.join('\n') ?? '';
  field('witness-quorum').value = text.witnesses ? String(text.witnesses.quorum) : '';
}

/** The anchors as typed in the form; the witness policy only when witness keys are given. */
function typedAnchors(): AnchorText {
  const keys = byId<HTMLTextAreaElement>('witness-keys')
    .value.split('\n')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  const quorumText = field('witness-quorum').value.trim();
  const quorum = quorumText === '' ? keys.length : Number(quorumText);
  return {
    checkpointKey: field('checkpoint-key').value,
    authorityKey: field('authority-key').value,
    origin: field('origin').value,
    ...(keys.length > 0 ? { witnesses: { quorum, keys } } : {}),
  };
}

function anchorsInUse(trust: VerifierTrust): string {
  const w = trust.witnesses;
  const policy = w ? `, with ${w.quorum} of ${w.keys.length} witnesses required` : '';
  return `Anchors in use for the log ${trust.origin}${policy}.`;
}

function useAnchors(): void {
  const text = typedAnchors();
  try {
    const trust = readTrustAnchors(text);
    localStorage.setItem(ANCHORS_KEY, JSON.stringify(text));
    anchorsState.textContent = anchorsInUse(trust);
  } catch (e) {
    if (!(e instanceof AnchorError)) throw e;
    anchorsState.textContent = e.message;
    const ids = { checkpointKey: 'checkpoint-key', authorityKey: 'authority-key', witnesses: 'witness-keys' };
    byId(ids[e.field]).focus();
  }
}

async function loadCredentials(file: File): Promise<void> {
  try {
    const json: unknown = JSON.parse(await file.text());
    const anchors = credentialAnchors(json, file.name);
    const policy = credentialWitnessPolicy(json, file.name);
    fillAnchorFields({
      checkpointKey: anchors.checkpointKey ?? '',
      authorityKey: anchors.authorityPublicKey ?? '',
      origin: anchors.checkpointOrigin,
      ...(policy ? { witnesses: policy } : {}),
    });
    const token = (json as { ledger?: { regulatorToken?: unknown } }).ledger?.regulatorToken;
    if (typeof token === 'string') {
      field('token').value = token;
      sessionStorage.setItem(TOKEN_KEY, token);
    }
    useAnchors();
  } catch (e) {
    anchorsState.textContent = `${file.name}: ${(e as Error).message}`;
  }
}

// Counts what was drawn, so a test (or an assistive tool) can tell a new result from the last one.
let drawn = 0;

/** The result's heading, under the id the section's aria-labelledby names: each redraw keeps it. */
function resultTitle(): HTMLHeadingElement {
  const title = el('h2', '', 'Result');
  title.id = 'result-title';
  return title;
}

function showProblem(problem: string): void {
  result.dataset.drawn = String(++drawn);
  result.className = 'panel result result--error';
  result.dataset.tone = 'error';
  result.replaceChildren(resultTitle(), el('p', 'advice', problem));
}

let selfTestFailed = false;

/** Verifies `text` (a bundle as received) and draws it, with a link to download exactly that text. */
function check(text: string, fileName: string, anomalies: Map<number, string[]>): void {
  if (selfTestFailed) return showProblem('The verifier failed its self-test: nothing can be verified here.');
  const anchors = currentTrust();
  if ('problem' in anchors) return showProblem(anchors.problem);
  const report = verifyBundleText(text, anchors.trust);
  draw(bundleView(report, anomalies), text, fileName, report.item);
}

const MARK_TEXT = { ok: '✓', bad: '✕' } as const;

function mark(m: 'ok' | 'bad'): HTMLSpanElement {
  const span = el('span', `mark mark--${m}`, MARK_TEXT[m]);
  // A glyph with a name: role img makes screen readers say the name instead of the glyph.
  span.setAttribute('role', 'img');
  span.setAttribute('aria-label', m === 'ok' ? 'verified' : 'failed');
  return span;
}

function draw(view: BundleView, text: string, fileName: string, item: string | undefined): void {
  const verdict = el('p', 'verdict');
  verdict.append(mark(view.tone), el('span', 'headline', view.headline));
  const parts: HTMLElement[] = [resultTitle(), verdict, el('p', 'advice', view.basis)];
  if (item) parts.push(el('p', 'subject', `Pack: ${item}`));
  if (view.checkpoint) parts.push(el('p', 'hint', `Checkpoint: ${view.checkpoint}`));
  parts.push(
    picture(view),
    timeline(view),
    checks(view),
    downloadLink('Download this bundle', text, 'application/json', fileName),
  );
  result.dataset.drawn = String(++drawn);
  result.className = `panel result result--${view.tone}`;
  result.dataset.tone = view.tone;
  result.replaceChildren(...parts);
}

/** The custody picture: each holder in turn, what happened there, and any anomaly, as a flow. */
function picture(view: BundleView): HTMLElement {
  const flow = el('ol', 'custody-picture');
  flow.setAttribute('aria-label', 'Custody, holder by holder');
  for (const s of custodyPicture(view)) {
    const station = el('li', `station station--${s.mark}`);
    station.append(mark(s.mark), el('strong', 'station-party', s.party));
    const steps = el('ul', 'station-steps');
    for (const step of s.steps) steps.append(el('li', '', step));
    station.append(steps);
    for (const a of s.anomalies) station.append(el('p', 'entry-anomaly', `Anomaly: ${a}`));
    flow.append(station);
  }
  return flow;
}

function timeline(view: BundleView): HTMLElement {
  const list = el('ol', 'timeline');
  list.setAttribute('aria-label', 'Custody history');
  for (const t of view.timeline) {
    const item = el('li', `entry entry--${t.mark}`);
    item.dataset.index = String(t.index);
    item.append(mark(t.mark), el('span', 'entry-what', `${t.what} · ${t.effect}`));
    item.append(el('span', 'entry-meta', `${t.when} · party ${t.party} · site ${t.site} · leaf ${t.index}`));
    for (const a of t.anomalies) item.append(el('span', 'entry-anomaly', `Anomaly (ledger's word): ${a}`));
    list.append(item);
  }
  return list;
}

function checks(view: BundleView): HTMLElement {
  const table = el('table', 'checks');
  const head = el('tr', '');
  const markHead = el('th', '');
  markHead.append(el('span', 'visually-hidden', 'Mark'));
  head.append(markHead);
  for (const h of ['Check', 'Passed', 'First failure']) head.append(el('th', '', h));
  table.append(head);
  for (const c of view.checks) {
    const row = el('tr', `check check--${c.mark}`);
    row.dataset.check = c.what;
    const markCell = el('td', '');
    markCell.append(mark(c.mark));
    row.append(
      markCell,
      el('td', '', c.what),
      el('td', '', `${c.passed} of ${c.total}`),
      el('td', '', c.detail ?? ''),
    );
    table.append(row);
  }
  return table;
}

function bundleFileName(typed: string): string {
  const safe = typed
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(-60);
  return `provenance-${safe || 'pack'}.json`;
}

byId<HTMLFormElement>('anchors-form').addEventListener('submit', (e) => {
  e.preventDefault();
  useAnchors();
});
field('credentials-file').addEventListener('change', () => {
  const file = field('credentials-file').files?.[0];
  if (file) void loadCredentials(file);
});
byId<HTMLFormElement>('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, field('token').value.trim());
  field('search').focus();
});
byId<HTMLFormElement>('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const typed = field('search').value.trim();
  if (typed === '') return;
  result.setAttribute('aria-busy', 'true');
  const path = `/v1/provenance?item=${encodeURIComponent(normalizeScannerInput(typed))}`;
  void ledgerGet(path, token()).then((answer) => {
    result.removeAttribute('aria-busy');
    if (!answer.ok) return showProblem(answer.problem);
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(answer.text);
    } catch {
      // the verifier reports a bundle that is not JSON
    }
    check(answer.text, bundleFileName(typed), anomaliesOf(parsed));
  });
});
byId<HTMLFormElement>('recall-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const [gtin, lot] = [field('recall-gtin').value.trim(), field('recall-lot').value.trim()];
  if (gtin === '' || lot === '') return;
  busy('recall-out', (out) => showRecallScope(out, gtin, lot, token()));
});
byId<HTMLFormElement>('rejections-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const filter = {
    party: field('rejections-party').value.trim(),
    reason: field('rejections-reason').value.trim(),
  };
  busy('rejections-out', (out) => showRejections(out, filter, token()));
});
byId<HTMLFormElement>('checkpoint-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const anchors = currentTrust();
  busy('checkpoint-out', (out) =>
    showCheckpoint(out, 'trust' in anchors ? anchors.trust : undefined, token()),
  );
});

function token(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** Runs `draw` into the output `id`, marked busy meanwhile (tests and screen readers wait on it). */
function busy(id: string, draw: (out: HTMLElement) => Promise<void>): void {
  const out = byId<HTMLElement>(id);
  out.setAttribute('aria-busy', 'true');
  delete out.dataset.tone;
  void draw(out).finally(() => {
    out.removeAttribute('aria-busy');
    out.dataset.drawn = String(Number(out.dataset.drawn ?? 0) + 1);
  });
}

field('bundle-file').addEventListener('change', () => {
  const file = field('bundle-file').files?.[0];
  if (file) void file.text().then((text) => check(text, file.name, new Map()));
});

function restore(): void {
  const saved = savedAnchors();
  if (saved !== undefined && saved !== 'unreadable') fillAnchorFields(saved);
  const trust = currentTrust();
  anchorsState.textContent = 'trust' in trust ? anchorsInUse(trust.trust) : trust.problem;
  field('token').value = sessionStorage.getItem(TOKEN_KEY) ?? '';
}

restore();
keepForOffline();
// The verifier's self-test, once the page is drawn: it also takes the first-use cost of the signature
// and hash code off the regulator's first search. A failure is said at once and in place of answers.
setTimeout(() => {
  if (!warmVerifier()) {
    selfTestFailed = true;
    showProblem("This browser's copy of the verifier failed its self-test: nothing can be verified here.");
  }
}, 0);
