// One verify, asked of the ledger that served the page (same origin): the token in the Authorization
// header, never in the URL; every way it can fail turned into a Failure the counter can explain.
import { normalizeScannerInput } from '@rxledger/gs1';
import type { VerifyAnswer } from '../src/answers/judge-verify.ts';
import type { Failure } from './verdict.ts';

export type VerifyResult = { ok: true; answer: VerifyAnswer } | { ok: false; failure: Failure };

/** How long a counter waits for the ledger before saying so (its p99 is tens of milliseconds). */
export const VERIFY_TIMEOUT_S = 10;

/** Verifies what the scanner typed, normalised first (shared/gs1's scanner-input.ts). */
export async function verifyScan(
  typed: string,
  token: string,
  fetchFn: typeof fetch = fetch,
): Promise<VerifyResult> {
  if (token === '') return { ok: false, failure: { kind: 'no-token' } };
  const url = `/v1/verify?scan=${encodeURIComponent(normalizeScannerInput(typed))}`;
  let res: Response;
  try {
    res = await fetchFn(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(VERIFY_TIMEOUT_S * 1000),
    });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    return {
      ok: false,
      failure: timedOut ? { kind: 'timeout', seconds: VERIFY_TIMEOUT_S } : { kind: 'network' },
    };
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.status !== 200 || body === null)
    return { ok: false, failure: { kind: 'http', status: res.status, body } };
  return { ok: true, answer: body as VerifyAnswer };
}
