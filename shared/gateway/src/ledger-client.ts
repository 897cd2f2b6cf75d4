import { UnavailableError } from '@rxledger/runtime';

/** What the ledger answered: its status and its body (parsed when JSON). */
export interface LedgerReply {
  status: number;
  contentType: string;
  body: unknown;
}

/** Query, bearer token and extra headers of one ledger call. */
export interface LedgerRequest {
  query?: Record<string, string>;
  /** Bearer token of the hosted party asking, if the ledger wants one. */
  token?: string | undefined;
  headers?: Record<string, string>;
  /** Added to the client's timeout: how long the ledger may hold this request on purpose (a long poll). */
  heldMs?: number;
}

/** The ledger's read API as partner services use it. */
export interface LedgerClient {
  /** GETs `path` (e.g. `/v1/events/abc`); throws UnavailableError when the ledger cannot be reached in time. */
  get(path: string, request?: LedgerRequest): Promise<LedgerReply>;
}

/**
 * A client for the ledger at `baseUrl`. Any answer, 4xx and 5xx included, is returned as is: what it
 * means is the caller's business. Only a ledger that does not answer within `timeoutMs` is an error.
 */
export function createLedgerClient(opts: { baseUrl: string; timeoutMs: number }): LedgerClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  return {
    async get(path, request = {}) {
      const url = new URL(base + path);
      for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
      const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
      if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
      try {
        const res = await fetch(url, {
          headers,
          signal: AbortSignal.timeout(opts.timeoutMs + (request.heldMs ?? 0)),
        });
        const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
        const text = await res.text();
        let body: unknown = text;
        if (/[/+]json\b/.test(contentType)) {
          try {
            body = JSON.parse(text);
          } catch {
            // Relayed as text: a broken body is still the ledger's answer.
          }
        }
        return { status: res.status, contentType, body };
      } catch (err) {
        // Never the URL with its query, which may carry a scanned code: the path names the route.
        throw new UnavailableError(`the ledger did not answer GET ${path}: ${reason(err)}`, {
          retryAfterSeconds: 5,
          cause: err,
        });
      }
    },
  };
}

function reason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'timed out';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
