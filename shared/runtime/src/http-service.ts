import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { RxError, UnavailableError, ValidationError } from './errors.ts';
import type { Logger } from './logger.ts';

/** What a readiness probe reports: ready or not, with a reason a person can act on. */
export interface Readiness {
  ready: boolean;
  detail?: string;
}

export interface HttpServiceOptions {
  name: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  log: Logger;
  /** Adds the service's own routes; `metrics` is the registry to add its own metrics to. */
  routes?: (app: Express, metrics: Registry) => void;
  /** Whether the service can do its work now (dependencies reachable, caught up...). */
  readiness?: () => Promise<Readiness>;
  /** Whether the process is still of use at all; /healthz answers 503 with the detail when not. */
  health?: () => Readiness;
  /**
   * The registry /metrics serves, for a service whose parts count before its routes exist (the
   * ledger's fold stage); a fresh one when omitted.
   */
  metrics?: Registry;
}

export interface HttpService {
  app: Express;
  metrics: Registry;
  /** Listens; resolves with the base URL once the port is open. */
  start(): Promise<string>;
  /** Stops accepting connections and waits for open requests to finish. */
  stop(): Promise<void>;
}

/**
 * The HTTP shell every rxledger service shares: JSON errors, /healthz, /readyz, /metrics with
 * per-route counters and latency, and request logging without credentials.
 */
export function createHttpService(opts: HttpServiceOptions): HttpService {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // Every answer is computed fresh from live state; an ETag would save no work (express hashes the body
  // after it is built) and would cost a SHA-1 and a second socket write per response.
  app.set('etag', false);
  const metrics = opts.metrics ?? new Registry();
  metrics.setDefaultLabels({ service: opts.name });
  collectDefaultMetrics({ register: metrics });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [metrics],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['route', 'method'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics],
  });

  // The service's own routes first: they carry the traffic, and express tries routes in order.
  opts.routes?.(app, metrics);

  app.get('/healthz', (_req, res) => {
    const state = opts.health?.() ?? { ready: true };
    if (state.ready) res.json({ status: 'ok', service: opts.name });
    else res.status(503).json({ status: 'failing', service: opts.name, detail: state.detail });
  });
  app.get('/readyz', async (_req, res, next) => {
    try {
      const state = opts.readiness ? await opts.readiness() : { ready: true };
      res
        .status(state.ready ? 200 : 503)
        .json({ ready: state.ready, service: opts.name, detail: state.detail });
    } catch (err) {
      next(err);
    }
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      res.type(metrics.contentType).send(await metrics.metrics());
    } catch (err) {
      next(err);
    }
  });

  app.use((req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}` } });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendError(res, err, opts.log);
  });

  // Counted around express rather than as its first middleware: a middleware layer costs every
  // request a pass through express' router (measured: 4% of a bare handler's throughput).
  const counted = (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // The matched route pattern, never the raw path: ids in paths would explode label cardinality.
      const route = ((req as Request).route?.path as string | undefined) ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requests.inc({ route, method: req.method, status: String(res.statusCode) });
      latency.observe({ route, method: req.method }, seconds);
    });
    app(req, res);
  };

  let server: Server | undefined;
  return {
    app,
    metrics,
    start: () =>
      new Promise((resolve, reject) => {
        const s = createServer(counted).listen(opts.port, opts.host);
        s.once('error', reject);
        s.once('listening', () => {
          server = s;
          const { port } = s.address() as AddressInfo;
          resolve(`http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`);
        });
      }),
    stop: () =>
      new Promise((resolve, reject) => {
        if (!server) return resolve();
        const s = server;
        server = undefined;
        s.close((err) => (err ? reject(err) : resolve()));
        s.closeIdleConnections();
      }),
  };
}

/**
 * Answers 200 with `body` as JSON in one write. For hot routes: it skips what express' res.json looks
 * up on every call (settings, content-type parsing, charset) and is the same bytes on the wire.
 */
export function sendJson(res: Response, body: unknown): void {
  const json = JSON.stringify(body);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/** Our codes for the errors express' body parsers (and jsonBody) mark with a `type`. */
const BODY_ERROR_CODES: Record<string, string> = {
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'entity.parse.failed': 'BAD_JSON',
  'entity.too.deep': 'JSON_TOO_DEEP',
  'charset.unsupported': 'UNSUPPORTED_CHARSET',
  'encoding.unsupported': 'UNSUPPORTED_ENCODING',
};

/** Answers an error as JSON with the status its type carries; unknown errors are 500 and logged. */
export function sendError(res: Response, err: unknown, log: Logger): void {
  if (err instanceof ValidationError) {
    res.status(400).json({ error: { code: err.code, message: err.message }, errors: err.issues });
    return;
  }
  if (err instanceof UnavailableError) {
    res.setHeader('Retry-After', String(err.retryAfterSeconds));
  }
  if (err instanceof RxError) {
    if (err.status >= 500) log.warn({ err }, err.message);
    res
      .status(err.status)
      .json({ error: { code: err.code, message: err.message, retriable: err.retriable } });
    return;
  }
  // express' body parser marks its own errors (too large, bad JSON) with a status.
  const status = (err as { status?: number; statusCode?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const type = (err as { type?: string }).type;
    const code = BODY_ERROR_CODES[type ?? ''] ?? 'BAD_REQUEST';
    const message = (err as Error).message;
    // A body that is not JSON at all has one field at fault: the body.
    res.status(status).json({ error: { code, message }, errors: [{ field: '(body)', reason: message }] });
    return;
  }
  log.error({ err }, 'unhandled error');
  res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
}
