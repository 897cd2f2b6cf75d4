import type { SigningKey } from '@rxledger/events';
import { backoffDelayMs, type Logger } from '@rxledger/runtime';
import { deliveryHeaders } from './delivery-headers.ts';
import type { DeliveryStore, DueDelivery } from './delivery-store.ts';
import type { DeliveryMetrics } from './delivery-metrics.ts';
import { postWebhook, type SendResult } from './webhook-sender.ts';
import type { WebhookUrlPolicy } from './webhook-url.ts';

export interface RetryPolicy {
  /**
   * Attempts per delivery, the first included; then it is given up (state failed). Default 20: with
   * the default delays the 19 waits come to at most about 5 hours (full jitter: 2.5 on average).
   */
  maxAttempts: number;
  /** Backoff base and ceiling (full jitter, runtime's backoffDelayMs). Defaults 2 s and 30 min. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface DispatcherOptions {
  store: DeliveryStore;
  signingKey: SigningKey;
  log: Logger;
  metrics: DeliveryMetrics;
  policy: WebhookUrlPolicy;
  retry: RetryPolicy;
  /** Deliveries in flight at once, each to a different endpoint. */
  concurrency: number;
  timeoutMs: number;
  /** How often the outbox is looked at when nothing wakes it. */
  pollMs: number;
  now: () => number;
}

/**
 * Works the outbox: sends what is due, at most one delivery per endpoint at a time, and records each
 * outcome before looking again. A delivery leaves the outbox only once its endpoint answered 2xx, so a
 * crash at any point means it is sent again (at least once; receivers de-duplicate on webhook-id).
 */
export class OutboxDispatcher {
  readonly #o: DispatcherOptions;
  readonly #busy = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #stopping = new AbortController();

  constructor(opts: DispatcherOptions) {
    this.#o = opts;
  }

  start(): void {
    this.#running = true;
    this.#stopping = new AbortController();
    this.wake();
  }

  /** Looks at the outbox now (after a publish) instead of at the next poll. */
  wake(): void {
    if (!this.#running) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#round(), 0);
  }

  /** Stops taking deliveries and ends those in flight; they stay pending, as they were, for the next start. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#stopping.abort();
    await Promise.all(this.#inFlight);
  }

  #round(): void {
    if (!this.#running) return;
    const free = this.#o.concurrency - this.#busy.size;
    const due = free > 0 ? this.#o.store.due(this.#o.now(), free, this.#busy) : [];
    for (const d of due) {
      this.#busy.add(d.subscriptionId);
      const p = this.#attempt(d)
        .catch((err: unknown) =>
          this.#o.log.error({ err, subscription: d.subscriptionId }, 'alert delivery not recorded'),
        )
        .finally(() => {
          this.#busy.delete(d.subscriptionId);
          this.#inFlight.delete(p);
          this.wake();
        });
      this.#inFlight.add(p);
    }
    this.#timer = setTimeout(() => this.#round(), this.#o.pollMs);
  }

  async #attempt(d: DueDelivery): Promise<void> {
    const { store, log, metrics, retry } = this.#o;
    let result: SendResult;
    try {
      const headers = deliveryHeaders(
        this.#o.signingKey,
        { id: d.key, body: d.body, secret: d.secret },
        this.#o.now(),
      );
      const { policy, timeoutMs } = this.#o;
      result = await postWebhook(d.url, headers, d.body, {
        policy,
        timeoutMs,
        signal: this.#stopping.signal,
      });
    } catch (err) {
      result = { ok: false, reason: `could not send: ${(err as Error).message}` };
    }
    // Cut short by stop(): not the endpoint's failure, so not counted against it.
    if (!result.ok && this.#stopping.signal.aborted) return;
    const attempts = d.attempts + 1;
    // The subscription id names the endpoint in logs: its URL may carry a partner's token in the query.
    const where = { subscription: d.subscriptionId, delivery: d.key, attempts };
    if (result.ok) {
      store.delivered(d);
      metrics.delivered();
    } else if (attempts >= retry.maxAttempts) {
      store.gaveUp(d, attempts, result.reason);
      metrics.gaveUp();
      log.warn({ ...where, reason: result.reason }, 'alert delivery given up');
    } else {
      store.retryLater(d, attempts, this.#o.now() + backoffDelayMs(attempts, retry), result.reason);
      metrics.retried();
      log.info({ ...where, reason: result.reason }, 'alert delivery failed; retrying later');
    }
  }
}
