import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey } from '@rxledger/events';
import { createHttpService, createLogger, type HttpService } from '@rxledger/runtime';
import type { AlertNotice } from '../../src/alerts/alert-notice.ts';
import {
  type AlertDelivery,
  type AlertDeliveryOptions,
  createAlertDelivery,
} from '../../src/alerts/delivery/index.ts';
import { TokenRegistry } from '../../src/auth/principal.ts';
import { alertDeliveryRoutes } from '../../src/routes/alert-delivery-routes.ts';
import { TOKEN_FILE } from './test-tokens.ts';

/** One POST a receiver got. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP webhook receiver on 127.0.0.1. `answer` decides each response: a status, or 'hang' to
 * accept the request and never answer (a dead endpoint that holds connections).
 */
export async function startReceiver(answer: (n: number) => number | 'hang' = () => 200) {
  const received: Received[] = [];
  const hung: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const a = answer(received.length);
      if (a === 'hang') hung.push(req);
      else res.writeHead(a).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    ids: () => received.map((r) => r.headers['webhook-id']),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const SILENT = createLogger({ service: 'ledger', level: 'silent' });

/** A delivery module over a temporary database, its routes on an HTTP port, short retry timings. */
export async function startDelivery(
  over: Partial<AlertDeliveryOptions> & { dir?: string; key?: SigningKey } = {},
): Promise<{
  delivery: AlertDelivery;
  http: HttpService;
  url: string;
  dir: string;
  key: SigningKey;
  stop(): Promise<void>;
}> {
  const dir = over.dir ?? mkdtempSync(join(tmpdir(), 'rxledger-delivery-'));
  const key = over.key ?? SigningKey.generate();
  let delivery!: AlertDelivery;
  const http = createHttpService({
    name: 'ledger',
    host: '127.0.0.1',
    port: 0,
    log: SILENT,
    routes: (app, metrics) => {
      delivery = createAlertDelivery({
        dbPath: join(dir, 'alert-delivery.sqlite'),
        signingKey: key,
        log: SILENT,
        metrics,
        urlPolicy: { allowPrivateNetworks: true },
        retry: { baseDelayMs: 20, maxDelayMs: 100 },
        pollMs: 50,
        ...over,
      });
      alertDeliveryRoutes(app, delivery, new TokenRegistry(TOKEN_FILE));
    },
  });
  const url = await http.start();
  delivery.start();
  return {
    delivery,
    http,
    url,
    dir,
    key,
    async stop() {
      delivery.stream.close();
      await http.stop();
      await delivery.stop();
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

let nextSeq = 1;
/** A notice for `audience`, with a fresh seq. */
export function notice(audience: string[], over: Partial<AlertNotice> = {}): AlertNotice {
  const seq = nextSeq++;
  return {
    kind: 'alert.raised',
    alertId: `AL-${seq}`,
    seq,
    audience,
    alert: { id: `AL-${seq}`, code: 'UNKNOWN_SERIAL', status: 'OPEN' },
    ...over,
  };
}

/** One server-sent event as a client parsed it. */
export interface StreamEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** A stream client: connects with `headers`, parses every event and comment it gets. */
export function openStream(url: string, headers: Record<string, string>) {
  const events: StreamEvent[] = [];
  let status = 0;
  let responseHeaders: IncomingHttpHeaders = {};
  let buffer = '';
  const req = get(`${url}/v1/alerts/stream`, { headers }, (res) => {
    status = res.statusCode ?? 0;
    responseHeaders = res.headers;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        events.push(parseFrame(buffer.slice(0, end)));
        buffer = buffer.slice(end + 2);
      }
    });
  });
  req.on('error', () => {});
  return {
    events,
    status: () => status,
    headers: () => responseHeaders,
    /** The events that carry a notice, without comments and the retry frame. */
    notices: () => events.filter((e) => e.id !== undefined),
    close: () => void req.destroy(),
  };
}

function parseFrame(frame: string): StreamEvent {
  const e: StreamEvent = {};
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) e.comment = line.slice(1).trim();
    const m = /^(id|event|data): (.*)$/.exec(line);
    if (m) e[m[1] as 'id' | 'event' | 'data'] = m[2];
  }
  return e;
}
