// One provenance bundle, asked of the ledger that served the page: the token in the Authorization
// header, never in the URL; the answer kept as the exact text received, so the file a regulator
// downloads is byte for byte what was checked.
import { normalizeScannerInput } from '@rxledger/gs1';

export type ProvenanceResult = { ok: true; text: string } | { ok: false; problem: string };

const TIMEOUT_S = 20;

/** Fetches GET /v1/provenance for `typed` (any GS1 form, normalised as the counter does). */
export async function fetchProvenance(typed: string, token: string): Promise<ProvenanceResult> {
  if (token === '') return { ok: false, problem: 'Give a regulator token first.' };
  const url = `/v1/provenance?item=${encodeURIComponent(normalizeScannerInput(typed))}`;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
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

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON: fall through to the status alone
  }
  return 'no reason given';
}
