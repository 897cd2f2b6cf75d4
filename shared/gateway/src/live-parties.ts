import { type Logger, RxError } from '@rxledger/runtime';
import { Counter, Gauge, type Registry } from 'prom-client';
import { watchFiles } from './file-watch.ts';
import { type HostedParty, loadHostedParties, scannerDirectory } from './hosted-party.ts';
import type { LedgerClient } from './ledger-client.ts';
import { type PartyConfig, readPartnerConfig } from './partner-config.ts';
import { watchRegistry } from './registry-watch.ts';
import type { Scanner } from './scanner-auth.ts';
import { chooseSigningKey, type KeyState, type SigningChoice } from './signing-key-choice.ts';

/** What createLiveParties is given. */
export interface LivePartiesOptions {
  /** The parties to start with (PARTNER_CONFIG as read at start). */
  parties: readonly PartyConfig[];
  /** The PARTNER_CONFIG file: when given, it and its key files are watched and reloaded on change. */
  configFile?: string | undefined;
  ledger: LedgerClient;
  log: Logger;
  now(): number;
  /** How often the ledger's registry is read; default 5 s; 0 never reads it (keyFile keys only). */
  registryPollMs?: number | undefined;
  /** How long the files must be quiet after a change before they are read; default 250 ms. */
  debounceMs?: number | undefined;
}

/** What /healthz says of the configuration and of each party's signing key. */
export interface LiveStatus {
  config: {
    file?: string;
    /** 1 at start, one more for each reload taken. */
    generation: number;
    loadedAt: string;
    /** The last reload refused, while the file on disk is still the refused one. */
    refused?: { at: string; message: string };
  };
  parties: Array<{
    gln: string;
    keyId: string;
    keyState: KeyState;
    nextKeyId?: string;
    nextKeyFile?: string;
  }>;
}

interface Loaded {
  hosted: Map<string, HostedParty>;
  scanners: Map<string, Scanner>;
  files: string[];
}

/**
 * The parties a gateway hosts, kept live: a new party, scanner key or key file in PARTNER_CONFIG is
 * taken without a restart (file watch, or reload() on SIGHUP). A reload that fails (bad JSON, a bad
 * field, an unreadable key) is refused with its reason, logged and shown in /healthz and /metrics,
 * and the service keeps the last good configuration. Each party signs with the key the ledger's
 * registry accepts now (chooseSigningKey).
 */
export function createLiveParties(opts: LivePartiesOptions) {
  const state: ConfigState = { loaded: undefined, generation: 0, loadedAt: '', refused: undefined };
  const iso = () => new Date(opts.now()).toISOString();
  const pollMs = opts.registryPollMs ?? 5_000;
  const hostedNow = () => [...(state.loaded?.hosted.values() ?? [])];

  const registry = watchRegistry({
    ledger: opts.ledger,
    token: () => hostedNow().find((p) => p.ledgerToken)?.ledgerToken,
    intervalMs: pollMs,
    log: opts.log,
    onRead: () => announce(hostedNow()),
  });
  const fileWatch = opts.configFile
    ? watchFiles(() => void reload(), { debounceMs: opts.debounceMs ?? 250, log: opts.log })
    : undefined;
  const choose = (party: HostedParty): SigningChoice =>
    chooseSigningKey({ current: party.key, next: party.nextKey }, registry.keysOf(party.gln), opts.now());
  const announce = keyAnnouncer(opts.log, choose);

  async function install(parties: readonly PartyConfig[]): Promise<void> {
    const hosted = await loadHostedParties(parties);
    const files = keyFilesOf(parties);
    state.loaded = { hosted, scanners: scannerDirectory(parties), files };
    state.generation++;
    state.loadedAt = iso();
    fileWatch?.follow([...(opts.configFile ? [opts.configFile] : []), ...files]);
    announce(hostedNow());
    // A new nextKeyFile may already be in the registry: no need to wait for the next read.
    if (pollMs > 0) void registry.refresh();
  }

  /** Reads PARTNER_CONFIG and its key files again; true when taken, false when refused. */
  const reload = oneAtATime(async (): Promise<boolean> => {
    if (opts.configFile === undefined) return false;
    const follow = (files: string[]) => fileWatch?.follow(files);
    return reloadConfig(opts.configFile, { state, install, follow, log: opts.log, iso });
  });

  return {
    /** Loads the start configuration's keys (ConfigError when one cannot be used), then follows changes. */
    async start(): Promise<void> {
      await install(opts.parties);
      if (pollMs > 0) registry.start();
    },
    reload,
    stop(): void {
      fileWatch?.close();
      registry.stop();
    },
    /** Whether start() has loaded the keys. */
    get started(): boolean {
      return state.loaded !== undefined;
    },
    /** For scannerAuth: the Scanner of a key hash in the current configuration. */
    scanners: { get: (hash: string) => state.loaded?.scanners.get(hash) },
    glns: (): Iterable<string> => state.loaded?.hosted.keys() ?? [],
    /** The hosted party `gln` with `key` the key it signs with now. */
    signer(gln: string): HostedParty {
      const party = state.loaded?.hosted.get(gln);
      if (party === undefined) {
        // Its scanner was authenticated under a configuration a reload has since replaced.
        throw new RxError('PARTY_NOT_HOSTED', `party ${gln} is no longer hosted here`, { status: 401 });
      }
      return { ...party, key: choose(party).key };
    },
    status(): LiveStatus {
      const { generation, loadedAt, refused } = state;
      const file = opts.configFile ? { file: opts.configFile } : {};
      return {
        config: { ...file, generation, loadedAt, ...(refused ? { refused } : {}) },
        parties: hostedNow().map((p) => partyStatus(p, choose(p))),
      };
    },
    /** Adds the reload metrics to the service's registry. */
    registerMetrics(registers: Registry): void {
      state.metrics = reloadMetrics(registers);
    },
  };
}

/** The configuration in use, and the last reload refused while its file is still the one on disk. */
interface ConfigState {
  loaded: Loaded | undefined;
  generation: number;
  loadedAt: string;
  refused: { at: string; message: string } | undefined;
  metrics?: ReloadMetrics;
}

/** What a reload changes: the state, the installed parties, the watched files. */
interface Reloading {
  state: ConfigState;
  install(parties: readonly PartyConfig[]): Promise<void>;
  follow(files: string[]): void;
  log: Logger;
  iso(): string;
}

/**
 * Reads `file` and its key files and installs them. A failure is refused with its reason, logged and
 * counted, and the last good configuration stays in use.
 */
async function reloadConfig(file: string, r: Reloading): Promise<boolean> {
  const { state } = r;
  let read: readonly PartyConfig[] | undefined;
  try {
    read = (await readPartnerConfig(file)).parties;
    await r.install(read);
    state.refused = undefined;
    countReload(state.metrics, 'taken');
    r.log.info(
      { generation: state.generation, parties: state.loaded!.hosted.size },
      'PARTNER_CONFIG reloaded',
    );
    return true;
  } catch (err) {
    // The refused file's key files are watched too: mending one (a chmod 600) is a change.
    if (read) r.follow([file, ...(state.loaded?.files ?? []), ...keyFilesOf(read)]);
    state.refused = { at: r.iso(), message: (err as Error).message };
    countReload(state.metrics, 'refused');
    r.log.error(
      { reason: state.refused.message, generation: state.generation },
      'PARTNER_CONFIG refused; the service keeps running on the last good configuration',
    );
    return false;
  }
}

/** Says once, at each change, which key a party signs with and whether the registry accepts it. */
function keyAnnouncer(log: Logger, choose: (party: HostedParty) => SigningChoice) {
  const announced = new Map<string, string>();
  return (parties: readonly HostedParty[]): void => {
    for (const party of parties) {
      const { key, state } = choose(party);
      const said = `${key.keyId} ${state}`;
      if (announced.get(party.gln) === said) continue;
      announced.set(party.gln, said);
      const fields = { party: party.gln, keyId: key.keyId, keyState: state };
      if (state === 'REGISTERED' || state === 'REGISTRY_UNKNOWN') log.info(fields, 'signing key');
      else log.warn(fields, `party ${party.gln} signs with key ${key.keyId}: ${state} in the registry`);
    }
  };
}

/** One party in /healthz: the key it signs with now, and the next key when it is not that one yet. */
function partyStatus(p: HostedParty, { key, state }: SigningChoice): LiveStatus['parties'][number] {
  const next =
    p.nextKey && p.nextKey.keyId !== key.keyId
      ? { nextKeyId: p.nextKey.keyId }
      : p.nextKeyFile !== undefined && p.nextKey === undefined
        ? { nextKeyFile: `${p.nextKeyFile} (not there yet)` }
        : {};
  return { gln: p.gln, keyId: key.keyId, keyState: state, ...next };
}

/**
 * Runs `fn` one call at a time, in call order: a reload never reads the files while the one before
 * it is still installing what it read.
 */
function oneAtATime<T>(fn: () => Promise<T>): () => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return () => {
    const run = queue.then(fn);
    queue = run;
    return run;
  };
}

interface ReloadMetrics {
  reloads: Counter;
  refused: Gauge;
}

function reloadMetrics(registers: Registry): ReloadMetrics {
  return {
    reloads: new Counter({
      name: 'gateway_config_reloads_total',
      help: 'PARTNER_CONFIG reloads, taken or refused',
      labelNames: ['outcome'],
      registers: [registers],
    }),
    refused: new Gauge({
      name: 'gateway_config_refused',
      help: '1 while the PARTNER_CONFIG on disk is refused and the last good one is in use',
      registers: [registers],
    }),
  };
}

/** Counts a reload; the gauge says whether the file on disk is the refused one now. */
function countReload(metrics: ReloadMetrics | undefined, outcome: 'taken' | 'refused'): void {
  metrics?.reloads.inc({ outcome });
  metrics?.refused.set(outcome === 'refused' ? 1 : 0);
}

function keyFilesOf(parties: readonly PartyConfig[]): string[] {
  return parties.flatMap((p) => (p.nextKeyFile ? [p.keyFile, p.nextKeyFile] : [p.keyFile]));
}

/** The live parties of one gateway. */
export type LiveParties = ReturnType<typeof createLiveParties>;
