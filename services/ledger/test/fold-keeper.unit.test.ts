import { createLogger } from '@rxledger/runtime';
import { describe, expect, it } from 'vitest';
import { createFoldKeeper, type KeptThread } from '../src/node/fold-keeper.ts';
import { waitFor } from './support/wait-for.ts';

/** Threads that only record what they are asked; `die` ends the current one as a crash would. */
function fakeThreads() {
  const opened: Array<{ calls: string[]; onExit: (err: Error) => void }> = [];
  const open = async (onExit: (err: Error) => void): Promise<KeptThread> => {
    const t = { calls: [] as string[], onExit };
    opened.push(t);
    const call = (name: string) => async () => {
      t.calls.push(name);
    };
    return {
      start: call('start'),
      stop: call('stop'),
      close: call('close'),
      terminate: call('terminate'),
      fail: call('fail'),
    };
  };
  const die = (err = new Error('gone')) => opened.at(-1)!.onExit(err);
  return { opened, open, die };
}

const log = createLogger({ service: 'ledger', level: 'silent' });
const quick = { base: 1, max: 1 };

describe('fold keeper', () => {
  it('restarts a dead thread, starts it if the node was consuming, and is ready again', async () => {
    const threads = fakeThreads();
    const keeper = createFoldKeeper({ open: threads.open, log, restartDelayMs: quick, onGiveUp: () => {} });
    await keeper.open();
    await keeper.start();
    threads.die();
    expect(keeper.readiness()?.detail).toMatch(/fold thread stopped \(gone\); restarting/);
    await waitFor('a restart', () => keeper.readiness() === undefined);
    expect(threads.opened).toHaveLength(2);
    expect(threads.opened[1]!.calls).toEqual(['start']);
    expect(keeper.health()).toEqual({ ready: true });
  });

  it('gives up after maxRestarts deaths in a row, but a committed slice starts the count afresh', async () => {
    const threads = fakeThreads();
    const givenUp: Error[] = [];
    const keeper = createFoldKeeper({
      open: threads.open,
      log,
      maxRestarts: 1,
      restartDelayMs: quick,
      onGiveUp: (err) => givenUp.push(err),
    });
    await keeper.open();
    const dieAndRestart = async () => {
      const before = threads.opened.length;
      threads.die();
      await waitFor('a restart', () => threads.opened.length > before && keeper.readiness() === undefined);
    };
    await dieAndRestart();
    keeper.folded();
    await dieAndRestart();
    threads.die(new Error('again'));
    expect(givenUp.map((e) => e.message)).toEqual(['again']);
    expect(keeper.health()).toEqual({ ready: false, detail: 'the fold thread stopped for good: again' });
    expect(threads.opened).toHaveLength(3);
  });
});
