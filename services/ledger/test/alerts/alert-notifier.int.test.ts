import { createLogger } from '@rxledger/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertNotice } from '../../src/alerts/alert-notice.ts';
import { createAlertNotifier } from '../../src/alerts/alert-notifier.ts';
import { dueAfterWorkingDays } from '../../src/alerts/working-days.ts';
import { tempLedger } from '../support/temp-ledger.ts';
import { GLN, pack, T0 } from '../support/test-chain.ts';
import { AlertChain } from './alert-chain.ts';

describe('alert notices', () => {
  let chain: AlertChain;
  let ledger: ReturnType<typeof tempLedger>;
  const notices: AlertNotice[] = [];
  let now = 0;
  const notifier = () =>
    createAlertNotifier({
      store: ledger.store,
      onAlertNotice: (n) => notices.push(n),
      escalationWorkingDays: 2,
      log: createLogger({ service: 'ledger', level: 'silent' }),
      now: () => now,
    });

  beforeEach(() => {
    notices.length = 0;
    chain = new AlertChain();
    ledger = tempLedger(chain.authority.verifyingKey);
    ledger.folder.fold([
      chain.genesisRecord(),
      chain.commission([pack(1)]),
      chain.raise(chain.pharmacy, pack(1), 'LOT_MISMATCH', 'r1', 'X9'),
      chain.raise(chain.pharmacy2, pack(1), 'LOT_MISMATCH', 'r2', 'X9'),
    ]);
    // The maker answers the second alert at once.
    ledger.folder.fold([
      chain.update(chain.maker, `${GLN.pharmacy2}:r2`, {
        eventId: 'u1',
        item: pack(1),
        status: 'INVESTIGATING',
      } as never),
    ]);
  });
  afterEach(() => ledger.close());

  it('tells each folded change with its audience and the alert as the routes show it', () => {
    const n = notifier();
    const r = ledger.folder.fold([chain.raise(chain.pharmacy, pack(1), 'LOT_MISMATCH', 'r3', 'X9')]);
    n.folded(r.alertChanges);
    expect(notices).toEqual([
      {
        kind: 'alert.updated',
        alertId: `${GLN.pharmacy}:r1`,
        seq: r.size - 1,
        audience: [GLN.pharmacy, GLN.maker],
        alert: expect.objectContaining({ id: `${GLN.pharmacy}:r1`, status: 'OPEN' }),
      },
    ]);
    expect(notices[0]!.alert).not.toHaveProperty('escalated');
  });

  it('escalates an unanswered alert once, when its due time has passed', () => {
    const n = notifier();
    const due = dueAfterWorkingDays(T0 + 3_600_000, 2);
    now = due;
    n.checkEscalations();
    expect(notices).toEqual([]);
    now = due + 1;
    n.checkEscalations();
    n.checkEscalations();
    // seq is the deadline, whenever the check ran: every node and restart names the notice alike.
    expect(notices.map((x) => [x.kind, x.alertId, x.seq])).toEqual([
      ['alert.escalated', `${GLN.pharmacy}:r1`, due],
    ]);
  });
});
