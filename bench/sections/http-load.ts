// Verify under load, beside a bare express handler on the same machine (the HTTP ceiling).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SERVICE_NODE_FLAGS } from '../../infra/supervisor.ts';

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

/** Starts the bare express handler in its own process; returns its verify URL and a stop function. */
export async function bareExpress(): Promise<{ url: string; stop(): void }> {
  const child = fork(fileURLToPath(new URL('../bare-express.ts', import.meta.url)), [], {
    // The services' own flags, so the ceiling is measured as the services run.
    execArgv: ['--import', 'tsx', ...SERVICE_NODE_FLAGS],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}/v1/verify`, stop: () => child.kill() };
}
