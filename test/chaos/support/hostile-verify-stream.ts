// A steady stream of counter verifies running beside the hostile inputs: a fixed rate of GET /v1/verify
// on a known pack, sent whether or not earlier ones have answered (open loop, so a stall shows as the
// latency of every request it holds up). It runs on a worker thread so that the test's own work (building
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
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, headers, perSecond, baseline } = workerData;
const latencies = [];
const sentAt = [];
const statuses = {};
let sent = 0;
let stopped = false;
const inflight = new Set();
const period = 1000 / perSecond;
const t0 = performance.now();
function one() {
  sent++;
  const started = performance.now();
  const wall = Date.now();
  const p = fetch(url, { headers, signal: AbortSignal.timeout(5000) })
    .then(async (res) => {
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      sentAt.push(wall);
      if (latencies.length === baseline) parentPort.postMessage({ type: 'baseline' });
      statuses[res.status] = (statuses[res.status] || 0) + 1;
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
  parentPort.postMessage({ type: 'done', latencies, sentAt, statuses, sent, baseline });
});
tick();
`;

/**
 * Starts the stream. `baselined` resolves once `baseline` requests have been answered, before any
 * hostile input is sent: the idle latency the run is compared with (this host is shared, and its speed
 * drifts). `stop()` waits for the requests in flight and gives every measurement.
 */
export function startVerifyStream(opts: {
  url: string;
  headers: Record<string, string>;
  perSecond: number;
  baseline: number;
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
