import type { Logger } from '@rxledger/runtime';
import { formatCheckpoint, formatVerifierKey, type NoteSigner, signCheckpoint } from '@rxledger/tlog';
import type { LedgerStore } from '../store/ledger-store.ts';

/** Where a node records its checkpoint verifier key (C2SP vkey) in its own database. */
export const CHECKPOINT_VKEY_META = 'checkpoint_vkey';

/**
 * Signs a C2SP checkpoint of the committed tree whenever it has grown, so checkpoints lag new leaves
 * by at most `intervalMs`. Runs on the thread that answers queries; `current` reads size and root
 * from the database as the fold thread committed them, so they always describe committed data.
 *
 * A tick that fails (SQLite busy, a full disk) is logged and tried again on the next tick: the timer
 * MUST NOT throw, since an exception in a timer callback would end the process.
 */
export function createCheckpointer(opts: {
  store: LedgerStore;
  origin: string;
  signer: NoteSigner;
  current: () => { size: number; root: Uint8Array };
  /** Where failed ticks are reported (tools that sign by hand may leave it out). */
  log?: Logger;
  intervalMs?: number;
  now?: () => number;
}): { checkpointNow(): string; start(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let failing = false;
  const now = opts.now ?? Date.now;
  // The key the node signs with, so `rxledger audit` can check every stored note's signature even when
  // no key is given on its command line (one given there is the stronger anchor).
  opts.store.setMeta(CHECKPOINT_VKEY_META, formatVerifierKey(opts.signer.name, opts.signer.publicKey));
  const checkpointNow = () => {
    const { size, root } = opts.current();
    const latest = opts.store.latestCheckpoint();
    if (latest && latest.size >= size) return latest.note;
    const note = signCheckpoint(formatCheckpoint({ origin: opts.origin, size, root }), opts.signer);
    opts.store.saveCheckpoint({ size, root, note, signedAt: now() });
    return note;
  };
  const tick = () => {
    try {
      const note = checkpointNow();
      if (failing) opts.log?.info({ checkpoint: note.split('\n', 2)[1] }, 'signing checkpoints again');
      failing = false;
    } catch (err) {
      // Once per failing spell at error level, then quieter: a locked database can last a while.
      if (failing) opts.log?.debug({ err }, 'checkpoint failed again; retrying on the next tick');
      else opts.log?.error({ err }, 'checkpoint failed; retrying on the next tick');
      failing = true;
    }
  };
  return {
    checkpointNow,
    start() {
      timer = setInterval(tick, opts.intervalMs ?? 1_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
