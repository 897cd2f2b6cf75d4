// The counter view's shell: the token (this tab's sessionStorage only), the scan field, and the answer
// drawn from verdict.ts's view. Text only ever goes in as textContent: nothing the ledger or a scanner
// sends is read as HTML.
import { normalizeScannerInput, sgtinUri } from '@rxledger/gs1';
import { type CounterSettings, counterSettings, VERIFY_ONLY } from './counter-settings.ts';
import { type DispenseResult, dispensePack, undoDispense } from './dispense-client.ts';
import { byId, el } from './dom.ts';
import { keepForOffline } from './offline.ts';
import { visibleSeparators } from './scan-field.ts';
import { answerView, failureView, type VerdictView } from './verdict.ts';
import { verifyScan } from './verify-client.ts';

const TOKEN_KEY = 'rxledger.counter.token';

const tokenForm = byId<HTMLFormElement>('token-form');
const tokenInput = byId<HTMLInputElement>('token');
const tokenState = byId<HTMLParagraphElement>('token-state');
const scanForm = byId<HTMLFormElement>('scan-form');
const scanInput = byId<HTMLInputElement>('scan');
const answer = byId<HTMLElement>('answer');

function savedToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function showTokenState(): void {
  tokenState.textContent = savedToken() ? 'Token in use for this tab.' : 'No token yet.';
}

function useToken(): void {
  const token = tokenInput.value.trim();
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  showTokenState();
}

tokenForm.addEventListener('submit', (e) => {
  e.preventDefault();
  useToken();
  if (savedToken()) scanInput.focus();
});
tokenInput.addEventListener('change', useToken);
byId<HTMLButtonElement>('forget').addEventListener('click', () => {
  tokenInput.value = '';
  useToken();
  tokenInput.focus();
});

// A wedge scanner sends ASCII 29 as the key chord Ctrl+], which a browser field drops.
scanInput.addEventListener('keydown', (e) => {
  if (e.ctrlKey && !e.altKey && (e.key === ']' || e.code === 'BracketRight')) {
    e.preventDefault();
    scanInput.setRangeText('<GS>', scanInput.selectionStart ?? 0, scanInput.selectionEnd ?? 0, 'end');
  }
});
scanInput.addEventListener('input', () => {
  if (!scanInput.value.includes('\u001d')) return;
  const shown = visibleSeparators(scanInput.value, scanInput.selectionStart ?? scanInput.value.length);
  scanInput.value = shown.value;
  scanInput.setSelectionRange(shown.caret, shown.caret);
});

// Only the latest scan's answer is drawn: a slow answer to an earlier scan never replaces it.
let latest = 0;
scanForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const typed = scanInput.value;
  if (typed.trim() === '') return;
  const mine = ++latest;
  answer.setAttribute('aria-busy', 'true');
  void verifyScan(typed, savedToken()).then((result) => {
    if (mine !== latest) return;
    answer.removeAttribute('aria-busy');
    const scanned = visibleSeparators(normalizeScannerInput(typed), 0).value;
    draw(result.ok ? answerView(result.answer, new Date()) : failureView(result.failure), mine, scanned);
    if (result.ok && settings.dispense) {
      const { gtin, serial } = result.answer.product;
      if (result.answer.dispensable) offerDispense(sgtinUri(gtin, serial), mine);
      else if (result.answer.undo) offerUndo(sgtinUri(gtin, serial), result.answer.undo, mine);
    }
    const tokenProblem = !result.ok && (result.failure.kind === 'no-token' || isStatus(result.failure, 401));
    if (!result.ok && isStatus(result.failure, 401))
      tokenState.textContent = 'The ledger did not accept this token.';
    // The field is emptied and focused for the next scan, unless the token is what to fix first.
    scanInput.value = tokenProblem ? typed : '';
    (tokenProblem ? tokenInput : scanInput).focus();
  });
});

function isStatus(failure: { kind: string; status?: number }, status: number): boolean {
  return failure.kind === 'http' && failure.status === status;
}

const MARKS = { ok: '✓', warn: '!', bad: '✕', error: '?' } as const;

/** Draws the answer to scan number `scan` (data-scan tells which answer is on screen) of `scanned`. */
function draw(view: VerdictView, scan: number, scanned: string): void {
  const verdict = el('p', 'verdict');
  verdict.append(el('span', 'mark', MARKS[view.tone]), el('span', 'headline', view.headline));
  verdict.firstElementChild!.setAttribute('aria-hidden', 'true');
  // The heading keeps the id the section's aria-labelledby names, or the live region loses its name.
  const title = el('h2', 'visually-hidden', 'Answer');
  title.id = 'answer-title';
  const parts: HTMLElement[] = [title, verdict, el('p', 'advice', view.advice)];
  if (view.detail !== undefined) parts.push(el('p', 'detail', view.detail));
  if (view.alertRecord !== undefined) {
    const record = el('p', 'alert-record', view.alertRecord.text);
    record.dataset.alertId = view.alertRecord.id;
    record.dataset.alertStatus = view.alertRecord.status;
    parts.push(record);
  }
  if (view.alerts.length > 0) {
    const list = el('ul', 'alerts');
    for (const a of view.alerts) {
      const item = el('li', 'alert');
      item.dataset.code = a.code;
      const todo = el('p', 'alert-todo');
      todo.append(el('strong', '', 'What to do: '), a.todo);
      item.append(el('h3', 'alert-title', a.title), el('p', 'alert-what', a.what), todo);
      item.append(el('p', 'alert-detail', `Ledger: ${a.detail}`));
      list.append(item);
    }
    parts.push(list);
  }
  if (view.product.length > 0) {
    const facts = el('dl', 'product');
    for (const [label, value, kind] of view.product) facts.append(el('dt', '', label), el('dd', kind, value));
    parts.push(facts);
  } else {
    // No product data to show what was scanned: show the scan itself, so it can be checked or retyped.
    parts.push(el('p', 'scanned', `Scanned: ${scanned}`));
  }
  answer.className = `answer answer--${view.tone}`;
  answer.dataset.tone = view.tone;
  answer.dataset.scan = String(scan);
  answer.replaceChildren(...parts);
}

let settings: CounterSettings = VERIFY_ONLY;

/** A Dispense button under a dispensable answer; its outcome replaces it, in words. */
function offerDispense(item: string, scan: number): void {
  offerAction(scan, {
    className: 'dispense',
    label: 'Dispense this pack',
    busy: 'Dispensing…',
    done: 'Dispensed: the ledger has recorded it. Scan the next pack.',
    flag: 'dispensed',
    run: () => dispensePack(item, savedToken()),
  });
}

/** Under a pack this pharmacy dispensed and may still return to stock: the deadline and an Undo button. */
function offerUndo(item: string, undo: { dispense: string; until: string }, scan: number): void {
  const until = new Date(undo.until).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  answer.append(el('p', 'undo-until', `This pharmacy dispensed it and may undo that until ${until}.`));
  offerAction(scan, {
    className: 'undo',
    label: 'Undo dispense',
    busy: 'Undoing the dispense…',
    done: 'Returned to stock: the ledger has recorded the undo. The pack may be dispensed again.',
    flag: 'undone',
    run: () => undoDispense(item, undo.dispense, savedToken()),
  });
}

/**
 * A button under the answer that posts one event; once the ledger has judged it, the button gives way
 * to the outcome in words, and `data-<flag>` on the answer says yes or no.
 */
function offerAction(
  scan: number,
  a: {
    className: string;
    label: string;
    busy: string;
    done: string;
    flag: string;
    run: () => Promise<DispenseResult>;
  },
): void {
  const button = el('button', a.className, a.label);
  button.type = 'button';
  const status = el('p', `${a.className}-status`);
  status.setAttribute('role', 'status');
  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = a.busy;
    void a.run().then((outcome) => {
      if (Number(answer.dataset.scan) !== scan) return;
      answer.dataset[a.flag] = outcome.ok ? 'yes' : 'no';
      status.textContent = outcome.ok ? a.done : outcome.problem;
      button.remove();
      scanInput.focus();
    });
  });
  answer.append(button, status);
}

void counterSettings().then((s) => {
  settings = s;
  byId('token-label').textContent = s.tokenLabel;
  if (!s.regulatorPage) document.querySelector('.masthead nav')?.remove();
});
tokenInput.value = savedToken();
showTokenState();
(savedToken() ? scanInput : tokenInput).focus();
keepForOffline();
