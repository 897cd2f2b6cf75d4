import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger, Readiness } from '@rxledger/runtime';
import { consistencyProof, ed25519Verifier, type NoteVerifier, parseVerifierKey } from '@rxledger/tlog';
import type { Registry } from 'prom-client';
import type { LedgerStore } from '../store/ledger-store.ts';
import { type CheckpointSource, httpCheckpointSource } from './checkpoint-source.ts';
import { createSplitViewMonitor } from './split-view-monitor.ts';

/** A peer ledger node folding the same topic: its base URL and its checkpoint key (C2SP vkey). */
export interface Peer {
  readonly url: string;
  readonly vkey: string;
}

/**
 * Parses `RXLEDGER_PEERS`: comma-separated entries, each `<base URL> <vkey>` (one space or more).
 * Throws naming the entry and what is wrong with it.
 * @example parsePeers('http://10.0.0.2:7100 rxledger.local/custody/main+1a2b3c4d+AQ...')
 */
export function parsePeers(text: string): Peer[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry, i) => {
      const [url, vkey, ...rest] = entry.split(/\s+/);
      const where = `entry ${i + 1} (${JSON.stringify(entry)})`;
      if (vkey === undefined || rest.length > 0) throw new Error(`${where}: expected "<URL> <vkey>"`);
      let parsed: URL;
      try {
        parsed = new URL(url!);
      } catch {
        throw new Error(`${where}: ${JSON.stringify(url)} is not a URL`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
        throw new Error(`${where}: the URL must be http: or https:, not ${parsed.protocol}`);
      try {
        parseVerifierKey(vkey);
      } catch (err) {
        throw new Error(`${where}: the vkey: ${(err as Error).message}`, { cause: err });
      }
      return { url: url!, vkey };
    });
}

/** The node's own checkpoints and proofs, read from its database as the HTTP routes read them. */
export function storeSource(store: LedgerStore): CheckpointSource {
  return {
    id: 'self',
    latest: async () => store.latestCheckpoint()?.note,
    at: async (size) => store.checkpoint(size)?.note,
    consistency: async (from, to) => consistencyProof(store.hashReader(), from, to),
  };
}

/**
 * A ledger node's watch on its peers: the split-view monitor over its own store and each peer, with
 * evidence kept in `<dataDir>/split-view/` and metrics on the node's registry. The node answers
 * `readiness()` not ready for good once a split view is proven, and after a restart too while the
 * evidence of an earlier one is there: only a person who has read it may clear it (by moving it away).
 */
export function createPeerWatch(opts: {
  store: LedgerStore;
  origin: string;
  /** The node's own checkpoint public key (Ed25519, 32 bytes). */
  ownKey: Uint8Array;
  peers: readonly Peer[];
  dataDir: string;
  log: Logger;
  metrics: Registry;
}) {
  const verifiers: NoteVerifier[] = [
    ed25519Verifier(opts.origin, opts.ownKey),
    ...opts.peers.map((p) => parseVerifierKey(p.vkey)),
  ];
  const evidenceDir = join(opts.dataDir, 'split-view');
  const earlier = existsSync(evidenceDir) ? readdirSync(evidenceDir).filter((f) => f.endsWith('.json')) : [];
  const monitor = createSplitViewMonitor({
    sources: [storeSource(opts.store), ...opts.peers.map((p) => httpCheckpointSource(p.url))],
    verifiers,
    origin: opts.origin,
    log: opts.log,
    metrics: opts.metrics,
    evidenceDir,
  });
  const remembered: Readiness | undefined = earlier.length
    ? {
        ready: false,
        detail: `split view proven before this start: evidence ${join(evidenceDir, earlier.sort()[0]!)}; move ${evidenceDir} away once the fork is resolved`,
      }
    : undefined;
  if (remembered) opts.log.error({ evidence: evidenceDir }, remembered.detail!);
  return {
    ...monitor,
    readiness: (): Readiness => {
      const current = monitor.readiness();
      return current.ready && remembered ? remembered : current;
    },
  };
}
