import { MAX_FUTURE_MS } from '@rxledger/events';
import { UnavailableError } from '@rxledger/runtime';
import type { RecordMetadata } from 'kafkajs';
import { type BatchIssue, BatchRejectedError } from './batch-rejected-error.ts';

/**
 * What a gateway knows of the broker's clock, by which ledgers judge every eventTime (DESIGN §3: at
 * most 5 minutes after the record's broker timestamp). It learns from the LogAppendTime of each
 * acknowledged produce; a CreateTime topic answers -1 there, and its broker bounds the gateway's
 * record timestamps itself (checkCustodyTopic insists on that). Until the first acknowledgement the
 * local clock is all there is, so the first batch after a start is judged by the local clock alone.
 */
export class BrokerClock {
  #aheadMs: number | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Learns from a produce request sent at local time `sentAt`. The broker stamped the records between
   * the request leaving and its answer, so `sentAt - logAppendTime` is the least this host can be ahead.
   */
  observe(sentAt: number, results: readonly RecordMetadata[]): void {
    for (const result of results) {
      const appended = Number(result.logAppendTime ?? -1);
      if (Number.isSafeInteger(appended) && appended > 0) this.#aheadMs = sentAt - appended;
    }
  }

  /** This host's clock, as the gateway reads it. */
  localNow(): number {
    return this.now();
  }

  /** How far (at least) this host's clock runs ahead of the broker's; undefined until learned. */
  aheadMs(): number | undefined {
    return this.#aheadMs;
  }

  /**
   * Refuses the request (503) when this host's clock runs further ahead of the broker's than ledgers
   * tolerate: every eventTime it stamps "now" would be rejected by them later, after a 202.
   */
  assertInStep(): void {
    const ahead = this.#aheadMs;
    if (ahead === undefined || ahead <= MAX_FUTURE_MS) return;
    throw new UnavailableError(
      `this service's clock runs ${Math.round(ahead / 1000)} s ahead of the Kafka broker's; ledgers reject ` +
        `events more than ${MAX_FUTURE_MS / 1000} s ahead of it, so nothing is taken until the host's clock is ` +
        'set right (NTP)',
      { retryAfterSeconds: 60 },
    );
  }

  /** Refuses (400) a batch with an eventTime more than 5 minutes ahead of the broker's clock. */
  assertNotAhead(events: ReadonlyArray<{ event: { eventTime: number } }>): void {
    const brokerNow = this.now() - (this.#aheadMs ?? 0);
    const issues: BatchIssue[] = [];
    events.forEach(({ event }, index) => {
      const ahead = event.eventTime - brokerNow;
      if (ahead <= MAX_FUTURE_MS) return;
      issues.push({
        index,
        field: 'eventTime',
        reason: `is ${Math.round(ahead / 1000)} s ahead of the Kafka broker's clock; at most ${MAX_FUTURE_MS / 60_000} minutes are tolerated`,
      });
    });
    if (issues.length > 0) {
      throw new BatchRejectedError(
        'VALIDATION',
        400,
        issues,
        `${issues.length} of ${events.length} events are dated in the future; nothing was published`,
      );
    }
  }
}
