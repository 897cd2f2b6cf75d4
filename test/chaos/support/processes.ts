// The processes of a fault scenario, started as `npm start` starts them (infra/demo, infra/supervisor)
// with their stdout and stderr in test/artifacts/chaos/<scenario>/, and every one of them stopped when
// the scenario ends, whether it passed or not.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DemoServices, type ServiceName, startDemoServices } from '../../../infra/demo/demo-services.ts';
import { DEMO_LOG_ORIGIN } from '../../../infra/demo/demo-setup.ts';
import { type ChildService, startChildService, stopChildren } from '../../../infra/supervisor.ts';

/** Where every chaos scenario keeps its data and logs (git-ignored). */
export const CHAOS_ARTIFACTS = fileURLToPath(new URL('../../artifacts/chaos/', import.meta.url));

// A process that has not announced its URL by then is stuck; the scenario fails rather than hangs.
const START_TIMEOUT_MS = 90_000;

/** A tag unique to one run, for channels, eventIds and serials (GS1 set 82: letters and digits). */
export function runTag(prefix: string): string {
  return `${prefix}${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;
}

/**
 * One scenario's processes. `create` empties test/artifacts/chaos/<scenario>; the demo data (keys,
 * tokens, credentials) lives in its data/ folder and every log in it, so that the log-secrets scenario
 * can read both afterwards.
 */
export class ChaosRun {
  readonly #children = new Set<ChildService>();

  private constructor(
    readonly dir: string,
    readonly brokers: string[],
    readonly channel: string,
  ) {}

  static async create(scenario: string, brokers: string[]): Promise<ChaosRun> {
    const dir = join(CHAOS_ARTIFACTS, scenario);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return new ChaosRun(dir, brokers, runTag(`${scenario.replace(/[^a-z0-9]/g, '')}-`));
  }

  /** The demo's data folder: keys, tokens, credentials.json, the ledger's database, and logs/. */
  get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** The ledger and the three partner services, exactly as `npm start` brings them up. */
  async startDemo(env: NodeJS.ProcessEnv = {}): Promise<DemoServices> {
    return startDemoServices({
      brokers: this.brokers,
      channel: this.channel,
      replicationFactor: 1,
      minInsyncReplicas: 1,
      dataDir: this.dataDir,
      host: '127.0.0.1',
      ports: { ledger: 0, manufacturer: 0, distributor: 0, pharmacy: 0 },
      env,
      onStarted: (s) => this.#children.add(s),
    });
  }

  /**
   * Starts one more service process (a second ledger node, a restart) logging to `logDir` (default
   * the demo's logs/), and resolves once it announced its URL.
   */
  async start(name: ServiceName, env: NodeJS.ProcessEnv, logDir = join(this.dataDir, 'logs')) {
    let timer: NodeJS.Timeout | undefined;
    let gaveUp = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        gaveUp = true;
        reject(new Error(`${name} did not announce its URL in ${START_TIMEOUT_MS / 1000} s`));
      }, START_TIMEOUT_MS);
    });
    const starting = startChildService(name, env, logDir);
    // One that announces itself after all, too late, is not left running.
    starting.then(
      (late) => gaveUp && late.child.kill('SIGKILL'),
      () => {},
    );
    try {
      const service = await Promise.race([starting, timeout]);
      this.#children.add(service);
      return service;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILLs `service` (no handler runs, nothing is flushed) and waits until the process is gone. */
  async sigkill(service: ChildService): Promise<void> {
    const { child } = service;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    this.#children.delete(service);
  }

  /** SIGTERM to every process still running (SIGKILL after 20 s); for afterAll. */
  async stopAll(): Promise<void> {
    const children = [...this.#children];
    this.#children.clear();
    await stopChildren(children);
  }

  /** The environment demo-services gives its ledger, for another node folding the same channel. */
  ledgerEnv(demo: DemoServices, opts: { dataDir: string; checkpointKeyFile: string }): NodeJS.ProcessEnv {
    return {
      KAFKA_BROKERS: this.brokers.join(','),
      CHANNEL: this.channel,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: opts.dataDir,
      CHECKPOINT_KEY_FILE: opts.checkpointKeyFile,
      AUTHORITY_KEY_FILE: demo.channel.authorityKeyFile,
      LOG_ORIGIN: DEMO_LOG_ORIGIN,
      LEDGER_TOKENS_FILE: demo.channel.ledgerTokensFile,
    };
  }

  /** The environment demo-services gives a partner service, on `port` (its old one, for a restart). */
  partnerEnv(demo: DemoServices, kind: Exclude<ServiceName, 'ledger'>, port: number): NodeJS.ProcessEnv {
    return {
      KAFKA_BROKERS: this.brokers.join(','),
      CHANNEL: this.channel,
      HOST: '127.0.0.1',
      PORT: String(port),
      LEDGER_URL: demo.services.ledger.url,
      PARTNER_CONFIG: demo.channel.partnerConfigs[kind],
    };
  }
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `done` every `everyMs` until it is true; throws `what` once `timeoutMs` has passed. */
export async function waitFor(
  what: string,
  done: () => boolean | Promise<boolean>,
  opts: { timeoutMs: number; everyMs?: number },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline)
      throw new Error(`gave up after ${opts.timeoutMs / 1000} s waiting for ${what}`);
    await sleep(opts.everyMs ?? 100);
  }
}
