import { SigningKey } from '@rxledger/events';
import { ed25519Signer } from '@rxledger/tlog';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCheckpointer } from '../src/node/checkpointer.ts';
import type { LedgerStore, StoredCheckpoint } from '../src/store/ledger-store.ts';

/** A store that keeps checkpoints in memory and fails its next `failures` saves as SQLite does when busy. */
function flakyStore(failures: number) {
  const saved: StoredCheckpoint[] = [];
  let left = failures;
  const store = {
    setMeta: () => {},
    latestCheckpoint: () => saved.at(-1),
    saveCheckpoint: (c: StoredCheckpoint) => {
      if (left-- > 0) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      saved.push(c);
    },
  } as unknown as LedgerStore;
  return { store, saved };
}

function recordingLog() {
  const lines: Array<{ level: string; msg: string }> = [];
  const at = (level: string) => (_fields: unknown, msg: string) => lines.push({ level, msg });
  return { lines, log: { error: at('error'), info: at('info'), debug: at('debug') } as never };
}

describe('checkpoint timer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('logs a failed checkpoint, keeps ticking, and signs on the next tick that succeeds', () => {
    vi.useFakeTimers();
    const { store, saved } = flakyStore(2);
    const { lines, log } = recordingLog();
    const origin = 'unit.test/custody';
    const checkpointer = createCheckpointer({
      store,
      origin,
      signer: ed25519Signer(origin, SigningKey.generate().exportSeed()),
      current: () => ({ size: 5, root: new Uint8Array(32) }),
      log,
      intervalMs: 1_000,
    });
    checkpointer.start();
    try {
      // Two busy ticks: neither may throw out of the timer (that would end the process).
      expect(() => vi.advanceTimersByTime(2_000)).not.toThrow();
      expect(saved).toHaveLength(0);
      expect(lines).toEqual([
        { level: 'error', msg: 'checkpoint failed; retrying on the next tick' },
        { level: 'debug', msg: 'checkpoint failed again; retrying on the next tick' },
      ]);
      vi.advanceTimersByTime(1_000);
      expect(saved.map((c) => c.size)).toEqual([5]);
      expect(lines.at(-1)).toEqual({ level: 'info', msg: 'signing checkpoints again' });
    } finally {
      checkpointer.stop();
    }
  });
});
