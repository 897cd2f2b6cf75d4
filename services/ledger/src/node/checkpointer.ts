import { formatCheckpoint, type NoteSigner, signCheckpoint } from '@rxledger/tlog';
import type { LedgerStore } from '../store/ledger-store.ts';

/**
 * Signs a C2SP checkpoint of the committed tree whenever it has grown, so checkpoints lag new leaves
 * by at most `intervalMs`. Runs on the fold's thread, between batches, so size and root always
 * describe committed data.
 */
export function createCheckpointer(opts: {
  store: LedgerStore;
  origin: string;
  signer: NoteSigner;
  current: () => { size: number; root: Uint8Array };
  intervalMs?: number;
  now?: () => number;
}): { checkpointNow(): string; start(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const now = opts.now ?? Date.now;
  const checkpointNow = () => {
    const { size, root } = opts.current();
    const latest = opts.store.latestCheckpoint();
    if (latest && latest.size >= size) return latest.note;
    const note = signCheckpoint(formatCheckpoint({ origin: opts.origin, size, root }), opts.signer);
    opts.store.saveCheckpoint({ size, root, note, signedAt: now() });
    return note;
  };
  return {
    checkpointNow,
    start() {
      timer = setInterval(checkpointNow, opts.intervalMs ?? 1_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
