// Sending one catalogue request to the running system and judging its answer against the row's
// expectation. Rows are data (hostile-http-rows.ts); this is the one place that knows how a symbolic
// `auth` becomes a header and how a 400 names its field.
import type { HostileSystem, PartnerKind } from './hostile-system.ts';

export type Service = 'ledger' | PartnerKind;

/**
 * Who a request claims to be: nobody, a ledger token by role (`pharmacist:<gln>`, `partner:<kind|gln>`), a
 * scanner key (`scanner:<gln>` or `scanner:<gln>@<site>`), or a raw Authorization header.
 */
export type Auth =
  | 'none'
  | 'regulator'
  | `pharmacist:${string}`
  | `partner:${string}`
  | `scanner:${string}`
  | { header: string };

export interface HttpRequestSpec {
  service: Service;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query; a function when it depends on the system's state (the signed checkpoint's size). */
  path: string | ((probe: LedgerProbe) => Promise<string>);
  /** Default: the service's own scanner for partner services, the regulator for the ledger. */
  auth?: Auth;
  /** A JSON value, sent as JSON; a function is called at send time (times relative to now). */
  json?: unknown;
  /** Raw body bytes or text (malformed, huge); built at send time. */
  raw?: () => string | Buffer;
  /** Default application/json when there is a body; null sends none. */
  contentType?: string | null;
  headers?: Record<string, string>;
}

export interface HttpExpect {
  /** The status, or the statuses any of which is right (Node answers 431 before the app sees a request). */
  status: number | number[];
  /** For 400: a field that `errors[]` must name. */
  field?: string;
  /** The answer must be byte-identical to the answer to this request (same 404 for absent and not yours). */
  sameBodyAs?: HttpRequestSpec;
}

export interface HttpRow {
  name: string;
  surface: 'partner API' | 'ledger GET';
  /** Requests sent first; each must be answered 202 and its events accepted by the ledger. */
  setup?: HttpRequestSpec[];
  request: HttpRequestSpec;
  expected: HttpExpect;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** Reads the ledger's state that some request paths depend on. */
export interface LedgerProbe {
  checkpointSize(): Promise<number>;
}

const SCANNER_OF: Record<PartnerKind, Auth> = {
  manufacturer: 'scanner:0614141000005@0614141000012',
  distributor: 'scanner:4001234000008',
  pharmacy: 'scanner:5009999000003',
};

/** Sends requests and keeps every status seen, for the run's "no answer >= 500" check. */
export class HttpDriver implements LedgerProbe {
  readonly statuses: Array<{ what: string; status: number }> = [];

  constructor(readonly sys: HostileSystem) {}

  authHeader(auth: Auth): string | undefined {
    if (auth === 'none') return undefined;
    if (typeof auth === 'object') return auth.header;
    const [kind, arg] = auth.split(/:(.*)/s) as [string, string | undefined];
    const secret =
      kind === 'regulator'
        ? this.sys.regulatorToken
        : kind === 'pharmacist'
          ? this.sys.pharmacistTokens[arg!]
          : kind === 'partner'
            ? this.sys.partnerTokens[arg!]
            : this.sys.scannerKeys[arg!];
    if (secret === undefined) throw new Error(`no credential for ${auth}`);
    return `Bearer ${secret}`;
  }

  async send(req: HttpRequestSpec): Promise<HttpAnswer> {
    const path = typeof req.path === 'string' ? req.path : await req.path(this);
    const auth = req.auth ?? (req.service === 'ledger' ? 'regulator' : SCANNER_OF[req.service]);
    const headers: Record<string, string> = { ...req.headers };
    const authorization = this.authHeader(auth);
    if (authorization !== undefined) headers.authorization = authorization;
    let body: Buffer | undefined;
    if (req.raw) body = Buffer.from(req.raw());
    else if (req.json !== undefined) {
      const value = typeof req.json === 'function' ? (req.json as () => unknown)() : req.json;
      body = Buffer.from(JSON.stringify(value));
    }
    if (body !== undefined && req.contentType !== null) {
      headers['content-type'] = req.contentType ?? 'application/json';
    }
    const method = req.method ?? (body === undefined ? 'GET' : 'POST');
    const what = `${method} ${req.service}${path.slice(0, 80)}`;
    try {
      const res = await fetch(`${this.sys.urls[req.service]}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      this.statuses.push({ what, status: res.status });
      return { status: res.status, body: text };
    } catch (err) {
      // A connection the server dropped without an answer: recorded as status 0, never a pass.
      this.statuses.push({ what, status: 0 });
      return { status: 0, body: `no answer: ${(err as Error).cause ?? (err as Error).message}` };
    }
  }

  /** Every answer >= 500 seen, but /readyz's 503, which by contract means "not caught up yet". */
  serverErrors(): string[] {
    return this.statuses
      .filter((s) => s.status >= 500 && !s.what.includes('/readyz'))
      .map((s) => `${s.status} ${s.what}`);
  }

  async checkpointSize(): Promise<number> {
    const note = await this.send({ service: 'ledger', path: '/v1/checkpoint', auth: 'none' });
    return Number(note.body.split('\n')[1]);
  }

  /** Waits until the ledger has judged each event of a partner's 202 answer; returns their states. */
  async settle(service: PartnerKind, auth: Auth | undefined, eventIds: string[]): Promise<string[]> {
    const states: string[] = [];
    for (const id of eventIds) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const res = await this.send({ service, path: `/v1/events/${encodeURIComponent(id)}`, auth });
        const state =
          res.status === 200 ? (JSON.parse(res.body) as { state: string }).state : `HTTP ${res.status}`;
        if (state !== 'PENDING') {
          states.push(state);
          break;
        }
        if (Date.now() > deadline) throw new Error(`event ${id} still PENDING after 60 s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return states;
  }
}

/** Why `answer` does not meet `expected`, or undefined when it does. */
export function judgeHttp(expected: HttpExpect, answer: HttpAnswer, twin?: HttpAnswer): string | undefined {
  const statuses = Array.isArray(expected.status) ? expected.status : [expected.status];
  if (!statuses.includes(answer.status)) return `status ${answer.status}, expected ${statuses.join(' or ')}`;
  if (expected.field !== undefined) {
    const named = fieldsNamed(answer.body);
    if (!named.includes(expected.field)) {
      return `errors[] names ${named.length ? named.map((f) => JSON.stringify(f)).join(', ') : 'no field'}, expected "${expected.field}"`;
    }
  }
  if (twin !== undefined && twin.body !== answer.body) {
    return `body differs from its twin: ${JSON.stringify(answer.body.slice(0, 120))} vs ${JSON.stringify(twin.body.slice(0, 120))}`;
  }
  return undefined;
}

function fieldsNamed(body: string): string[] {
  try {
    const errors = (JSON.parse(body) as { errors?: Array<{ field?: unknown }> }).errors;
    return Array.isArray(errors) ? errors.map((e) => String(e.field)) : [];
  } catch {
    return [];
  }
}

/** A short account of an answer for the summary table. */
export function describeAnswer(answer: HttpAnswer): string {
  return `${answer.status} ${answer.body.replace(/\s+/g, ' ').slice(0, 160)}`;
}
