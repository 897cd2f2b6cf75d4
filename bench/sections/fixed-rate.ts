// Counter latency at a fixed offered load: requests sent on a fixed schedule whether or not earlier
// ones have answered (open loop, as pharmacies scan), each timed from the moment it was due, so a stall
// counts against every request it held up (no coordinated omission, as in wrk2).
import { Agent, request } from 'node:http';
import { percentile } from '../stats.ts';

export interface FixedRateResult {
  offeredPerS: number;
  sent: number;
  answered: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/**
 * Offers GET `url` at `perSecond` for `seconds` over keep-alive connections (at most `connections`
 * open at once); latency runs from each request's scheduled time to the end of its answer.
 */
export async function fixedRate(
  url: string,
  headers: Record<string, string>,
  opts: { perSecond: number; seconds: number; connections?: number },
): Promise<FixedRateResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections ?? 64 });
  const latencies: number[] = [];
  const counts = { sent: 0, non2xx: 0, errors: 0 };
  const total = Math.round(opts.perSecond * opts.seconds);
  const period = 1000 / opts.perSecond;
  const inflight = new Set<Promise<void>>();
  const one = (due: number) => {
    counts.sent++;
    const p = new Promise<void>((resolve) => {
      const req = request(url, { agent, headers }, (res) => {
        if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) counts.non2xx++;
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - due);
          resolve();
        });
      });
      req.on('error', () => {
        counts.errors++;
        resolve();
      });
      req.end();
    });
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  const t0 = performance.now();
  while (counts.sent < total) {
    // Every request due by now goes out, then the loop sleeps until the next one is due.
    const now = performance.now();
    while (counts.sent < total && t0 + counts.sent * period <= now) one(t0 + counts.sent * period);
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + counts.sent * period - performance.now())));
  }
  await Promise.all(inflight);
  agent.destroy();
  return {
    offeredPerS: opts.perSecond,
    sent: counts.sent,
    answered: latencies.length,
    non2xx: counts.non2xx,
    errors: counts.errors,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    p999Ms: percentile(latencies, 99.9),
    maxMs: Math.max(...latencies),
  };
}
