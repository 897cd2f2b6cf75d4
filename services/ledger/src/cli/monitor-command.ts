import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { type NoteVerifier, parseVerifierKey } from '@rxledger/tlog';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { httpCheckpointSource } from '../monitor/checkpoint-source.ts';
import { createSplitViewMonitor, type MonitorEvent } from '../monitor/split-view-monitor.ts';

export const MONITOR_USAGE = `rxledger monitor --ledger URL [--ledger URL...] [--vkey VKEY...] [--credentials FILE]
                 [--origin NAME] [--interval MS] [--evidence-dir DIR] [--metrics-port PORT]

Follows the signed checkpoints of one log served by several ledger nodes and checks every pair it
sees: two roots at one size, or a larger checkpoint whose node cannot prove it extends a smaller one,
is a split view. Each is kept as evidence (a JSON file with both signed notes), printed, logged as one
JSON alarm line on standard error, and counted in split_view_inconsistencies_total. Runs until
interrupted (Ctrl-C).
  --ledger URL          a ledger node's base URL (repeat for each node, at least one)
  --vkey VKEY           a node's checkpoint key, C2SP vkey form (repeat for each node); a checkpoint
                        signed by none of them is reported and is no evidence
  --credentials FILE    take a key from a credentials file's ledger.checkpointKey
                        (e.g. data/demo/credentials.json)
  --origin NAME         the log's origin; by default the keys' name (C2SP names a key after its log)
  --interval MS         how often each node is polled, 100 to 3600000 (default 1000)
  --evidence-dir DIR    where evidence files are written (default data/split-view)
  --metrics-port PORT   also serve Prometheus metrics at http://127.0.0.1:PORT/metrics (0: any free
                        port, printed)
Exit status: 0 when interrupted with no split view seen, 1 when interrupted after a split view was
proven, 2 on a usage error.`;

/** A problem with how the command was called: exit status 2. */
class UsageError extends Error {}

export interface MonitorArgs {
  ledgers: string[];
  verifiers: NoteVerifier[];
  origin: string;
  intervalMs: number;
  evidenceDir: string;
  metricsPort: number | undefined;
}

/** Validates the command line; throws a UsageError naming the argument and the reason. */
export function parseMonitorArgs(args: string[]): MonitorArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        ledger: { type: 'string', multiple: true },
        vkey: { type: 'string', multiple: true },
        credentials: { type: 'string' },
        origin: { type: 'string' },
        interval: { type: 'string' },
        'evidence-dir': { type: 'string' },
        'metrics-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return 'help';
  const ledgers = (values.ledger ?? []).map(ledgerUrl);
  if (ledgers.length === 0) throw new UsageError('--ledger: give at least one ledger node URL');
  const vkeys = [...(values.vkey ?? []), ...(values.credentials ? [credentialsKey(values.credentials)] : [])];
  if (vkeys.length === 0)
    throw new UsageError('--vkey: give the nodes\u2019 checkpoint keys (or --credentials)');
  const verifiers = vkeys.map((vkey, i) => {
    try {
      return parseVerifierKey(vkey);
    } catch (e) {
      throw new UsageError(`--vkey ${i + 1} (${JSON.stringify(vkey)}): ${(e as Error).message}`);
    }
  });
  return {
    ledgers,
    verifiers,
    origin: values.origin ?? originOf(verifiers),
    intervalMs: integer('--interval', values.interval, 1_000, 100, 3_600_000),
    evidenceDir: values['evidence-dir'] || 'data/split-view',
    metricsPort:
      values['metrics-port'] === undefined
        ? undefined
        : integer('--metrics-port', values['metrics-port'], 0, 0, 65535),
  };
}

function ledgerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--ledger ${JSON.stringify(text)}: not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--ledger ${text}: must be an http: or https: URL, not ${url.protocol}`);
  return text.replace(/\/+$/, '');
}

function integer(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`${name} ${JSON.stringify(text)}: must be a whole number from ${min} to ${max}`);
  return n;
}

function originOf(verifiers: NoteVerifier[]): string {
  const names = [...new Set(verifiers.map((v) => v.name))];
  if (names.length > 1)
    throw new UsageError(`--origin: the keys are named ${names.join(', ')}; say which log to follow`);
  return names[0]!;
}

function credentialsKey(path: string): string {
  try {
    const key = (JSON.parse(readFileSync(path, 'utf8')) as { ledger?: { checkpointKey?: unknown } }).ledger
      ?.checkpointKey;
    if (typeof key !== 'string') throw new Error('has no ledger.checkpointKey');
    return key;
  } catch (e) {
    throw new UsageError(`--credentials ${path}: ${(e as Error).message}`);
  }
}

/** `rxledger monitor`: runs until `signal` aborts, then returns the exit status. */
export async function monitorCommand(
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void,
  signal: AbortSignal,
): Promise<number> {
  let opts: MonitorArgs | 'help';
  try {
    opts = parseMonitorArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`rxledger monitor: ${e.message}\n\n${MONITOR_USAGE}`);
    return 2;
  }
  if (opts === 'help') {
    out(MONITOR_USAGE);
    return 0;
  }
  const registry = new Registry();
  const monitor = createSplitViewMonitor({
    sources: opts.ledgers.map((url) => httpCheckpointSource(url)),
    verifiers: opts.verifiers,
    origin: opts.origin,
    // JSON log lines (the alarm among them) on standard error; the plain lines go to standard output.
    log: pino({ name: 'rxledger-monitor', timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2)),
    metrics: registry,
    evidenceDir: opts.evidenceDir,
    onEvent: printer(out),
  });
  const server = opts.metricsPort === undefined ? undefined : await serveMetrics(registry, opts.metricsPort);
  if (server) out(`metrics at http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
  out(
    `monitoring ${opts.ledgers.length} ledger node(s) of ${opts.origin} every ${opts.intervalMs} ms; evidence in ${opts.evidenceDir}`,
  );
  monitor.start(opts.intervalMs);
  await new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    signal.addEventListener('abort', resolve, { once: true });
  });
  await monitor.stop();
  server?.close();
  const proven = monitor.inconsistencies().length;
  out(proven === 0 ? 'stopped: no split view seen' : `stopped: ${proven} split view(s) proven`);
  return proven === 0 ? 0 : 1;
}

/** One plain line per thing seen; an unreachable node is reported once until it answers again. */
function printer(out: (line: string) => void) {
  const down = new Set<string>();
  return (e: MonitorEvent) => {
    const time = new Date().toISOString();
    if (e.kind === 'unreachable') {
      if (!down.has(e.node)) out(`${time} UNREACHABLE ${e.node}: ${e.reason}`);
      down.add(e.node);
      return;
    }
    if (e.kind === 'checkpoint') {
      down.delete(e.node);
      out(`${time} checkpoint ${e.node} size ${e.size} root ${e.root}`);
    } else if (e.kind === 'unusable') {
      out(`${time} NOT EVIDENCE ${e.node} ${e.code}: ${e.reason}`);
    } else {
      const [a, b] = e.inconsistency.pair;
      out(
        `${time} SPLIT VIEW (${e.inconsistency.check}) ${a.node} size ${a.checkpoint.size} vs ${b.node} size ${b.checkpoint.size}: ${e.inconsistency.reason}; evidence ${e.evidenceFile ?? '(not written, see the log)'}`,
      );
    }
  };
}

function serveMetrics(registry: Registry, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') return res.writeHead(404).end();
    void registry
      .metrics()
      .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
