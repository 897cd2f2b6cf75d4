// Verify under load, beside a bare express handler on the same machine (the HTTP ceiling).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { nodeCommand } from '../../infra/supervisor.ts';

export interface LoadResult {
  reqPerS: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** autocannon with `connections` connections for `seconds` against one URL. */
export async function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  connections = 64,
): Promise<LoadResult> {
  const result = await autocannon({ url, headers, connections, duration: seconds, pipelining: 1 });
  return {
    reqPerS: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/**
 * Loads two targets in turn, `rounds` times `seconds` each after a short warm-up of both, so that a
 * change in the machine's speed during the run (a shared host) affects both alike. Requests per
 * second are over all rounds; p50 is the mean of the rounds' p50, p99 the worst round's p99.
 */
export async function loadInTurns(
  a: { url: string; headers: Record<string, string> },
  b: { url: string; headers: Record<string, string> },
  rounds: number,
  seconds: number,
): Promise<[LoadResult, LoadResult]> {
  await load(a.url, a.headers, 2);
  await load(b.url, b.headers, 2);
  const runs: [LoadResult[], LoadResult[]] = [[], []];
  for (let r = 0; r < rounds; r++) {
    runs[0].push(await load(a.url, a.headers, seconds));
    runs[1].push(await load(b.url, b.headers, seconds));
  }
  const combine = (rs: LoadResult[]): LoadResult => ({
    reqPerS: rs.reduce((n, x) => n + x.reqPerS, 0) / rs.length,
    p50Ms: rs.reduce((n, x) => n + x.p50Ms, 0) / rs.length,
    p99Ms: Math.max(...rs.map((x) => x.p99Ms)),
    errors: rs.reduce((n, x) => n + x.errors, 0),
    non2xx: rs.reduce((n, x) => n + x.non2xx, 0),
  });
  return [combine(runs[0]), combine(runs[1])];
}

/** Starts the bare express handler in its own process; returns its verify URL and a stop function. */
export async function bareExpress(): Promise<{ url: string; stop(): void }> {
  // Started the way the bench runs (built or source), with the services' own flags, so the ceiling is
  // measured as the services run.
  const { modulePath, execArgv } = nodeCommand(
    'bare-express',
    fileURLToPath(new URL('../bare-express.ts', import.meta.url)),
  );
  const child = fork(modulePath, [], {
    execArgv,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}/v1/verify`, stop: () => child.kill() };
}
