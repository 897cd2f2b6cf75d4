import { UnavailableError } from '@rxledger/runtime';
import type { Response } from 'express';
import type { Principal } from '../../auth/principal.ts';
import type { DeliveryMetrics } from './delivery-metrics.ts';
import type { StoredNotice } from './delivery-store.ts';

export interface StreamOptions {
  /** Clients at once; one more is answered 503 with Retry-After. Default 200. */
  maxClients: number;
  /** A comment line this often keeps proxies from closing an idle stream. Default 15 s. */
  heartbeatMs: number;
  /** Bytes a client may leave unread before it is dropped (it reconnects with Last-Event-ID). Default 256 KiB. */
  maxBufferedBytes: number;
}

interface Client {
  res: Response;
  principal: Principal;
}

/** Whether `principal` may see a notice for `audience`: a regulator every notice, a party its own. */
export function inAudience(principal: Principal, audience: readonly string[]): boolean {
  return principal.role === 'regulator' || principal.glns.some((g) => audience.includes(g));
}

/**
 * The server-sent event stream of alert notices (GET /v1/alerts/stream). Each event's id is the
 * notice's number in the delivery database, so a client that reconnects with Last-Event-ID is sent
 * what it missed, as far back as the database keeps notice bodies; further back it gets an
 * `alert.gap` event and should re-read GET /v1/alerts. Nothing is buffered per client beyond
 * `maxBufferedBytes`: a client that reads slower than notices come is dropped, not waited for.
 */
export class AlertStream {
  readonly #o: StreamOptions;
  readonly #metrics: DeliveryMetrics;
  readonly #clients = new Set<Client>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(opts: StreamOptions, metrics: DeliveryMetrics) {
    this.#o = opts;
    this.#metrics = metrics;
    this.#heartbeat = setInterval(() => this.#beat(), opts.heartbeatMs);
    this.#heartbeat.unref();
  }

  /**
   * Starts a stream on `res`. `missed` are the stored notices after the client's Last-Event-ID (oldest
   * first) and `gapAfter`, when set, the id after which notices were already pruned.
   */
  open(
    res: Response,
    principal: Principal,
    missed: StoredNotice[],
    gap?: { after: number; oldest: number },
  ): void {
    if (this.#clients.size >= this.#o.maxClients) {
      throw new UnavailableError(`the alert stream has its ${this.#o.maxClients} clients; try again later`, {
        retryAfterSeconds: 10,
      });
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const client: Client = { res, principal };
    this.#clients.add(client);
    this.#metrics.streamClients(this.#clients.size);
    res.on('close', () => this.#forget(client));
    res.write(`retry: 5000\n\n`);
    if (gap) this.#send(client, `event: alert.gap\ndata: ${JSON.stringify(gap)}\n\n`);
    for (const n of missed) this.push(n, client);
  }

  /** Sends a notice to every client in its audience (or to `only`). */
  push(notice: StoredNotice, only?: Client): void {
    const frame = `id: ${notice.id}\nevent: ${notice.key.split(':')[0]}\ndata: ${notice.body}\n\n`;
    for (const c of only ? [only] : this.#clients) {
      if (inAudience(c.principal, notice.audience)) this.#send(c, frame);
    }
  }

  /** Ends every stream (before the HTTP server closes: open streams would hold it open). */
  close(): void {
    clearInterval(this.#heartbeat);
    for (const c of this.#clients) c.res.end();
    this.#clients.clear();
    this.#metrics.streamClients(0);
  }

  get size(): number {
    return this.#clients.size;
  }

  #send(c: Client, frame: string): void {
    if (c.res.writableLength > this.#o.maxBufferedBytes) {
      this.#metrics.streamDropped();
      this.#forget(c);
      c.res.destroy();
      return;
    }
    c.res.write(frame);
  }

  #beat(): void {
    for (const c of this.#clients) this.#send(c, ': keep-alive\n\n');
  }

  #forget(c: Client): void {
    if (this.#clients.delete(c)) this.#metrics.streamClients(this.#clients.size);
  }
}
