import type { SigningKey } from '@rxledger/events';
import type { Logger } from '@rxledger/runtime';
import { Registry } from 'prom-client';
import type { AlertNotice } from '../alert-notice.ts';
import { AlertStream, type StreamOptions } from './alert-stream.ts';
import { deliveryMetrics } from './delivery-metrics.ts';
import { DeliveryStore, type NewNotice } from './delivery-store.ts';
import { checkNotice, noticeBody, noticeKey } from './notice-body.ts';
import { OutboxDispatcher, type RetryPolicy } from './outbox-dispatcher.ts';
import { WebhookSubscriptions } from './webhook-subscriptions.ts';
import type { WebhookUrlPolicy } from './webhook-url.ts';

export interface AlertDeliveryOptions {
  /** The delivery database file (its own, beside ledger.sqlite: it cannot be rebuilt from the topic). */
  dbPath: string;
  /** The node's checkpoint key: partners already trust it, so it signs deliveries too. */
  signingKey: SigningKey;
  log: Logger;
  /** The node's /metrics registry (default: a private one). */
  metrics?: Registry;
  /** Where webhooks may go (default: public addresses only). */
  urlPolicy?: WebhookUrlPolicy;
  retry?: Partial<RetryPolicy>;
  /** Deliveries in flight at once, each to another endpoint (default 8). */
  concurrency?: number;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** How often the outbox is looked at besides after each publish (default 1 s). */
  pollMs?: number;
  stream?: Partial<StreamOptions>;
  /** Notices whose bodies are kept for stream resumption (default 1,000). */
  replayWindow?: number;
  now?: () => number;
}

export interface AlertDelivery {
  /**
   * Takes one notice for delivery. MUST be called only once the leaf that caused it is committed (a
   * notice about a leaf that a crash rolls back would tell partners something the ledger never said).
   * Returns once the notice and its deliveries are on disk (fsynced): from then on they survive any
   * crash. Publishing the same notice again (same kind, alertId and seq) does nothing, so a re-fold
   * after a crash or a rebuild may call it freely. Throws a TypeError naming the field of a malformed notice.
   */
  publish(notice: AlertNotice): { id: number; queued: number } | undefined;
  /**
   * `publish` for the notices of one folded batch, in one transaction (one fsync): the same promises,
   * and a result per notice in order (undefined for one published before, or repeated in the batch).
   */
  publishAll(notices: readonly AlertNotice[]): ({ id: number; queued: number } | undefined)[];
  readonly webhooks: WebhookSubscriptions;
  readonly stream: AlertStream;
  readonly store: DeliveryStore;
  /** The replay of a stream client's Last-Event-ID (see AlertStream.open). */
  missedSince(lastEventId: number): {
    missed: ReturnType<DeliveryStore['noticesAfter']>;
    gap?: { after: number; oldest: number };
  };
  start(): void;
  /** Ends open streams, waits for deliveries in flight to be recorded, closes the database. */
  stop(): Promise<void>;
}

/** Webhooks and the alert stream (issue 18), fed by `publish`; see docs/design-notes/alert-delivery.md. */
export function createAlertDelivery(opts: AlertDeliveryOptions): AlertDelivery {
  const now = opts.now ?? Date.now;
  const window = opts.replayWindow ?? 1_000;
  const store = new DeliveryStore(opts.dbPath);
  const metrics = deliveryMetrics(opts.metrics ?? new Registry(), store);
  const policy = opts.urlPolicy ?? {};
  const dispatcher = new OutboxDispatcher({
    store,
    signingKey: opts.signingKey,
    log: opts.log,
    metrics,
    policy,
    retry: { maxAttempts: 20, baseDelayMs: 2_000, maxDelayMs: 30 * 60_000, ...opts.retry },
    concurrency: opts.concurrency ?? 8,
    timeoutMs: opts.timeoutMs ?? 10_000,
    pollMs: opts.pollMs ?? 1_000,
    now,
  });
  const stream = new AlertStream(
    { maxClients: 200, heartbeatMs: 15_000, maxBufferedBytes: 256 * 1024, ...opts.stream },
    metrics,
  );
  function publishAll(notices: readonly AlertNotice[]) {
    notices.forEach(checkNotice);
    const t = now();
    // Known notices (a re-fold, a rebuild) are skipped with a read; only new ones cost a commit.
    const fresh = new Map<string, NewNotice>();
    for (const n of notices) {
      const key = noticeKey(n);
      if (!fresh.has(key) && !store.hasNotice(key))
        fresh.set(key, { key, audience: n.audience, body: noticeBody(n, t) });
    }
    const news = [...fresh.values()];
    const added = news.length > 0 ? store.addNotices(news, t) : [];
    news.forEach((n, i) => stream.push({ id: added[i]!.id, ...n }));
    if (added.some((a) => a!.queued > 0)) dispatcher.wake();
    if (added.some((a) => a!.id % 100 === 0)) store.prune(window);
    const result = new Map(news.map((n, i) => [n.key, added[i]]));
    // Only the first of a key repeated within the batch gets its result.
    return notices.map((n) => {
      const key = noticeKey(n);
      const r = result.get(key);
      result.delete(key);
      return r;
    });
  }

  return {
    webhooks: new WebhookSubscriptions(store, policy, now),
    stream,
    store,
    publish: (notice) => publishAll([notice])[0],
    publishAll,
    missedSince(lastEventId) {
      const last = store.lastNoticeId();
      // Ids are this node's: an id beyond its last came from another node (or a reset database).
      const from = Math.max(lastEventId > last ? 0 : lastEventId, last - window);
      const missed = store.noticesAfter(from, window);
      if (from === lastEventId) return { missed };
      return { missed, gap: { after: lastEventId, oldest: missed[0]?.id ?? last + 1 } };
    },
    start: () => dispatcher.start(),
    async stop() {
      stream.close();
      await dispatcher.stop();
      store.close();
    },
  };
}
