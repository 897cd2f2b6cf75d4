// The regulator view's requests to the ledger that served the page (same origin): the token in the
// Authorization header, never in the URL; the answer kept as the exact text received (so a downloaded
// bundle is byte for byte what was checked); every way a request can fail put in words.

export type LedgerAnswer = { ok: true; text: string } | { ok: false; problem: string };

const TIMEOUT_S = 20;

/** GET `path` (with its query) as `accept`; a 200 gives the text, anything else a sentence. */
export async function ledgerGet(
  path: string,
  token: string,
  accept = 'application/json',
): Promise<LedgerAnswer> {
  if (token === '') return { ok: false, problem: 'Give a regulator token first.' };
  let res: Response;
  try {
    res = await fetch(path, {
      headers: { authorization: `Bearer ${token}`, accept },
      signal: AbortSignal.timeout(TIMEOUT_S * 1000),
    });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    return {
      ok: false,
      problem: timedOut ? `No answer within ${TIMEOUT_S} s.` : 'The ledger cannot be reached.',
    };
  }
  const text = await res.text();
  if (res.status === 200) return { ok: true, text };
  return { ok: false, problem: `The ledger answered ${res.status}: ${errorMessage(text)}` };
}

/** GET `path` and parse the JSON answer; a body that is not JSON is a problem too. */
export async function ledgerJson<T>(
  path: string,
  token: string,
): Promise<{ ok: true; body: T } | { ok: false; problem: string }> {
  const answer = await ledgerGet(path, token);
  if (!answer.ok) return answer;
  try {
    return { ok: true, body: JSON.parse(answer.text) as T };
  } catch {
    return { ok: false, problem: 'The ledger answered with something that is not JSON.' };
  }
}

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON: fall through to the status alone
  }
  return 'no reason given';
}
