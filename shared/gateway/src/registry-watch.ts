import type { Logger } from '@rxledger/runtime';
import type { LedgerClient } from './ledger-client.ts';
import type { RegisteredKeyView } from './signing-key-choice.ts';

/** The ledger's registry as this service last read it: each party's keys. */
export interface RegistryWatch {
  /** The keys the registry holds for `gln`; undefined until the registry has been read once. */
  keysOf(gln: string): readonly RegisteredKeyView[] | undefined;
  /** Reads the registry now; resolves when done (a failure keeps what was known and is logged). */
  refresh(): Promise<void>;
  /** Reads it every `intervalMs` until stop(). */
  start(): void;
  stop(): void;
}

interface WatchOptions {
  ledger: LedgerClient;
  /** A hosted party's ledger token (GET /v1/registry wants a partner token), if any is configured. */
  token(): string | undefined;
  intervalMs: number;
  log: Logger;
  /** Told after each successful read. */
  onRead?: () => void;
}

/**
 * Follows GET /v1/registry, so a party's key rotation and revocation are seen without a restart. What
 * was read last stays in force while the ledger cannot be reached: a ledger outage must not switch a
 * party back to a key the registry has retired.
 */
export function watchRegistry(opts: WatchOptions): RegistryWatch {
  let known: Map<string, RegisteredKeyView[]> | undefined;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;

  const read = async () => {
    try {
      const reply = await opts.ledger.get('/v1/registry', { token: opts.token() });
      const parties = reply.status === 200 ? partiesOf(reply.body) : undefined;
      if (parties === undefined) throw new Error(`GET /v1/registry answered ${reply.status}`);
      known = parties;
      if (failing) opts.log.info('the ledger registry is readable again');
      failing = false;
      opts.onRead?.();
    } catch (err) {
      // Once per outage: a ledger that is down for an hour must not fill the log.
      if (!failing) {
        opts.log.warn(
          { reason: (err as Error).message },
          'cannot read the ledger registry; signing keys follow what was read last',
        );
      }
      failing = true;
    }
  };
  const refresh = () => {
    inFlight ??= read().finally(() => (inFlight = undefined));
    return inFlight;
  };
  return {
    keysOf: (gln) => (known === undefined ? undefined : (known.get(gln) ?? [])),
    refresh,
    start() {
      if (timer !== undefined) return;
      void refresh();
      timer = setInterval(() => void refresh(), opts.intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/** The keys of each party in a GET /v1/registry answer; undefined when the answer has not that shape. */
function partiesOf(body: unknown): Map<string, RegisteredKeyView[]> | undefined {
  const parties = (body as { parties?: unknown } | null)?.parties;
  if (!Array.isArray(parties)) return undefined;
  const out = new Map<string, RegisteredKeyView[]>();
  for (const p of parties as Array<{ gln?: unknown; keys?: unknown }>) {
    if (typeof p?.gln !== 'string' || !Array.isArray(p.keys)) return undefined;
    const keys = (p.keys as RegisteredKeyView[]).filter(
      (k) => typeof k?.keyId === 'string' && typeof k.validFrom === 'string',
    );
    out.set(p.gln, keys);
  }
  return out;
}
