// A steady stream of counter verifies running beside the hostile inputs: a fixed rate of GET /v1/verify
// on a known pack, sent whether or not earlier ones have answered (open loop, so a stall shows as the
// latency of every request it holds up). The first requests warm the freshly started processes up (their
// first connections, lazily loaded code, JIT): they are sent and answered like the rest, and reported
// apart, not in the latencies. It runs on a worker thread so that the test's own work (building
// a 33 MB body, say) cannot delay the sends or the clock that times them.
import { Worker } from 'node:worker_threads';

export interface VerifyStreamResult {
  /** Latency of each answered request, ms. */
  latencies: number[];
  /** When each answered request was sent (epoch ms), in the order of `latencies`. */
  sentAt: number[];
  /** Count of answers by HTTP status; `error` for requests that got no answer. */
  statuses: Record<string, number>;
  sent: number;
  /** How many of the first answers were measured before any hostile input (the idle baseline). */
  baseline: number;
  /** The warm-up requests (the first ones sent), answered but kept out of `latencies`. */
  warmup: { sent: number; maxMs: number };
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, headers, perSecond, baseline, warmup } = workerData;
const warm = { sent: warmup, maxMs: 0 };
const latencies = [];
const sentAt = [];
const statuses = {};
let sent = 0;
let stopped = false;
const inflight = new Set();
const period = 1000 / perSecond;
const t0 = performance.now();
function one() {
  const warming = sent++ < warmup;
  const started = performance.now();
  const wall = Date.now();
  const p = fetch(url, { headers, signal: AbortSignal.timeout(5000) })
    .then(async (res) => {
      await res.arrayBuffer();
      statuses[res.status] = (statuses[res.status] || 0) + 1;
      if (warming) {
        warm.maxMs = Math.max(warm.maxMs, performance.now() - started);
        return;
      }
      latencies.push(performance.now() - started);
      sentAt.push(wall);
      if (latencies.length === baseline) parentPort.postMessage({ type: 'baseline' });
    })
    .catch(() => { statuses.error = (statuses.error || 0) + 1; })
    .finally(() => inflight.delete(p));
  inflight.add(p);
}
function tick() {
  if (stopped) return;
  one();
  const next = t0 + sent * period;
  setTimeout(tick, Math.max(0, next - performance.now()));
}
parentPort.on('message', async (msg) => {
  if (msg !== 'stop') return;
  stopped = true;
  await Promise.allSettled([...inflight]);
  parentPort.postMessage({ type: 'done', latencies, sentAt, statuses, sent, baseline, warmup: warm });
});
tick();
`;

/**
 * Starts the stream. `baselined` resolves once the `warmup` requests and then `baseline` more have
 * been answered, before any hostile input is sent: the idle latency the run is compared with (this host is shared, and its speed
 * drifts). `stop()` waits for the requests in flight and gives every measurement.
 */
export function startVerifyStream(opts: {
  url: string;
  headers: Record<string, string>;
  perSecond: number;
  baseline: number;
  warmup: number;
}): { baselined: Promise<void>; stop(): Promise<VerifyStreamResult> } {
  const worker = new Worker(WORKER, { eval: true, workerData: opts });
  const baselined = new Promise<void>((resolve, reject) => {
    worker.on('message', (msg: { type: string }) => {
      if (msg.type === 'baseline') resolve();
    });
    worker.once('error', reject);
  });
  return {
    baselined,
    stop: () =>
      new Promise((resolve, reject) => {
        worker.on('message', (msg: VerifyStreamResult & { type: string }) => {
          if (msg.type !== 'done') return;
          void worker.terminate();
          resolve(msg);
        });
        worker.once('error', reject);
        worker.postMessage('stop');
      }),
  };
}

/** The q-quantile (0..1) of `values`, nearest rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
