// Manufacturer scanners posting COMMISSION batches in closed loops while a test breaks Kafka, keeping
// every answer so the test can judge each one against what was up or down when it was asked.
import { GLN, GTIN, type TestSystem } from '../../support/system.ts';

/** One POST /v1/events and what came back. */
export interface Answer {
  status: number;
  eventIds: string[];
  retryAfter: string | null;
  /** Date.now() when the request was sent and when its answer (or failure) arrived. */
  sentAt: number;
  answeredAt: number;
  /** The body (or the fetch error) for answers that are neither 202 nor 503. */
  detail: string;
}

export interface ScannerLoad {
  readonly answers: readonly Answer[];
  /** eventIds the service answered 202 for. */
  readonly acknowledged: ReadonlySet<string>;
  /** Events acknowledged by answers to requests sent at or after `since`. */
  acknowledgedSince(since: number): number;
  /** Answers with `status` to requests sent at or after `since`. */
  answeredSince(since: number, status: number): number;
  /** Resolves once `test()` holds; rejects naming `what` after `timeoutMs`. */
  until(what: string, test: () => boolean, timeoutMs: number): Promise<void>;
  /** Stops posting and waits for the requests in flight. */
  stop(): Promise<void>;
}

export interface ScannerLoadOptions {
  scanners: number;
  batch: number;
  /** Pause before a scanner retries a batch answered 503 (shorter than Retry-After, to keep the load on). */
  retryPauseMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `scanners` loops, each posting batches of `batch` new packs as the manufacturer's scanner and
 * waiting for the answer. A batch answered 503 is retried with the same eventIds, as a scanner honouring
 * the idempotency contract does; any other answer moves on to a new batch.
 */
export function startScannerLoad(sys: TestSystem, opts: ScannerLoadOptions): ScannerLoad {
  const answers: Answer[] = [];
  const acknowledged = new Set<string>();
  const headers = {
    authorization: `Bearer ${sys.scanner[GLN.maker]}`,
    'content-type': 'application/json',
  };
  let running = true;

  const post = async (events: object[]): Promise<Answer> => {
    const sentAt = Date.now();
    try {
      const res = await fetch(`${sys.urls.manufacturer}/v1/events`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ events }),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      const body = res.status === 202 ? (JSON.parse(text) as { eventIds: string[] }) : undefined;
      return {
        status: res.status,
        eventIds: body?.eventIds ?? [],
        retryAfter: res.headers.get('retry-after'),
        sentAt,
        answeredAt: Date.now(),
        detail: res.status === 202 ? '' : text.slice(0, 300),
      };
    } catch (err) {
      return {
        status: 0,
        eventIds: [],
        retryAfter: null,
        sentAt,
        answeredAt: Date.now(),
        detail: String(err),
      };
    }
  };

  const scanner = async (s: number) => {
    for (let b = 0; running; b++) {
      const events = Array.from({ length: opts.batch }, (_, i) => ({
        type: 'COMMISSION',
        eventId: `chaos-${s}-${b}-${i}`,
        items: [`(01)${GTIN}(21)C${s}-${b}-${i}`],
        lot: 'L1',
        expiry: '281231',
      }));
      for (;;) {
        const answer = await post(events);
        answers.push(answer);
        if (answer.status === 202) for (const id of answer.eventIds) acknowledged.add(id);
        if (answer.status !== 503 || !running) break;
        await sleep(opts.retryPauseMs ?? 250);
      }
    }
  };
  const loops = Array.from({ length: opts.scanners }, (_, s) => scanner(s));

  return {
    answers,
    acknowledged,
    acknowledgedSince: (since) =>
      answers.filter((a) => a.sentAt >= since && a.status === 202).reduce((n, a) => n + a.eventIds.length, 0),
    answeredSince: (since, status) => answers.filter((a) => a.sentAt >= since && a.status === status).length,
    async until(what, test, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!test()) {
        if (Date.now() > deadline) {
          const tally = summarize(answers);
          throw new Error(`scanner load: no ${what} within ${timeoutMs} ms (answers so far: ${tally})`);
        }
        await sleep(100);
      }
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** "202: 40, 503: 12" */
export function summarize(answers: readonly Answer[]): string {
  const counts = new Map<number, number>();
  for (const a of answers) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${status}: ${n}`).join(', ') || 'none';
}
