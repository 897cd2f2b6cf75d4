import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsumedRecord } from '../../src/intake/precheck.ts';
import { tempLedger } from '../support/temp-ledger.ts';
import { GLN, pack, sscc } from '../support/test-chain.ts';
import { AlertChain } from './alert-chain.ts';

describe('the fold keeps alerts in log order', () => {
  let chain: AlertChain;
  let ledger: ReturnType<typeof tempLedger>;
  let setup: ConsumedRecord[];
  const alertId = `${GLN.pharmacy}:r1`;

  beforeEach(() => {
    chain = new AlertChain();
    ledger = tempLedger(chain.authority.verifyingKey);
    setup = [chain.genesisRecord(), chain.commission([pack(1)])];
    ledger.folder.fold(setup);
  });
  afterEach(() => ledger.close());

  const reason = (eventId: string) => ledger.store.attributedRejections(eventId)[0]?.code;

  it('opens an alert on a raise and joins repeat raises of the same pharmacy, pack and code', () => {
    const r = ledger.folder.fold([
      chain.raise(chain.pharmacy, pack(5), 'UNKNOWN_SERIAL', 'r1'),
      chain.raise(chain.pharmacy, pack(5), 'UNKNOWN_SERIAL', 'r2'),
      chain.raise(chain.pharmacy2, pack(5), 'UNKNOWN_SERIAL', 'r3'),
      chain.raise(chain.pharmacy, pack(1), 'LOT_MISMATCH', 'r4', 'X9'),
    ]);
    expect(r).toMatchObject({ appended: 4, rejected: 0 });
    expect(r.alertChanges.map((c) => [c.kind, c.alertId])).toEqual([
      ['alert.raised', alertId],
      ['alert.updated', alertId],
      ['alert.raised', `${GLN.pharmacy2}:r3`],
      ['alert.raised', `${GLN.pharmacy}:r4`],
    ]);
    const alert = ledger.store.alerts.get(alertId)!;
    expect(alert).toMatchObject({ status: 'OPEN', code: 'UNKNOWN_SERIAL', pharmacy: GLN.pharmacy });
    expect(alert.manufacturer).toBe(GLN.maker);
    expect(ledger.store.alerts.steps(alertId).map((s) => [s.kind, s.eventId])).toEqual([
      ['RAISED', 'r1'],
      ['JOINED', 'r2'],
    ]);
    // The joined raise's own would-be id resolves to the alert it joined.
    expect(ledger.store.alerts.get(`${GLN.pharmacy}:r2`)?.id).toBe(alertId);
    expect(ledger.store.alerts.get(`${GLN.pharmacy}:r4`)?.lot).toBe('X9');
  });

  it('takes the steps each party may take and refuses the others with a reason', () => {
    ledger.folder.fold([chain.raise(chain.pharmacy, pack(5), 'UNKNOWN_SERIAL', 'r1')]);
    const r = ledger.folder.fold([
      chain.update(chain.maker, alertId, { eventId: 'u1', status: 'INFO_REQUESTED', note: 'photo please' }),
      chain.update(chain.pharmacy2, alertId, { eventId: 'u2', status: 'INFO_PROVIDED' }),
      chain.update(chain.pharmacy, alertId, { eventId: 'u3', status: 'INFO_PROVIDED', note: 'sent' }),
      chain.update(chain.pharmacy, alertId, { eventId: 'u4', status: 'INVESTIGATING' }),
      chain.update(chain.pharmacy, alertId, {
        eventId: 'u5',
        status: 'CLOSED',
        rootCause: 'CONFIRMED_FALSIFICATION',
      }),
      chain.update(chain.maker, alertId, { eventId: 'u6', status: 'INVESTIGATING', item: pack(1) }),
      chain.update(chain.maker, `${GLN.pharmacy}:nope`, { eventId: 'u7', status: 'INVESTIGATING' }),
      chain.update(chain.regulator, alertId, { eventId: 'u8', status: 'INVESTIGATING' }),
      chain.update(chain.maker, alertId, {
        eventId: 'u9',
        status: 'CLOSED',
        rootCause: 'MANUFACTURER_DATA_ERROR',
      }),
      chain.update(chain.regulator, alertId, { eventId: 'u10', status: 'INVESTIGATING' }),
    ]);
    expect(r).toMatchObject({ appended: 4, rejected: 6 });
    expect(['u2', 'u4', 'u5', 'u6', 'u7', 'u10'].map(reason)).toEqual([
      'ALERT_STEP_NOT_ALLOWED',
      'ALERT_STEP_NOT_ALLOWED',
      'ALERT_STEP_NOT_ALLOWED',
      'ALERT_ITEM_MISMATCH',
      'ALERT_UNKNOWN',
      'ALERT_CLOSED',
    ]);
    expect(ledger.store.alerts.steps(alertId).map((s) => s.kind)).toEqual([
      'RAISED',
      'INFO_REQUESTED',
      'INFO_PROVIDED',
      'INVESTIGATING',
      'CLOSED',
    ]);
    expect(ledger.store.alerts.get(alertId)).toMatchObject({
      status: 'CLOSED',
      rootCause: 'MANUFACTURER_DATA_ERROR',
      healed: false,
    });
  });

  it('lets the raising pharmacy close its own alert as its own error', () => {
    ledger.folder.fold([chain.raise(chain.pharmacy, pack(1), 'LOT_MISMATCH', 'r1', 'X9')]);
    const r = ledger.folder.fold([
      chain.update(chain.pharmacy, alertId, {
        eventId: 'u1',
        item: pack(1),
        status: 'CLOSED',
        rootCause: 'PHARMACY_TECHNICAL_ERROR',
      }),
    ]);
    expect(r).toMatchObject({ appended: 1, rejected: 0 });
    expect(ledger.store.alerts.get(alertId)?.status).toBe('CLOSED');
  });

  it('heals an alert when a later leaf explains it, whatever the batching, and keeps its history', () => {
    const records = [
      chain.raise(chain.pharmacy, pack(5), 'UNKNOWN_SERIAL', 'r1', 'L1', '281231'),
      chain.commission([pack(5)]),
      chain.update(chain.maker, alertId, { eventId: 'u1', status: 'INVESTIGATING' }),
    ];
    const r = ledger.folder.fold(records);
    expect(r).toMatchObject({ appended: 2, rejected: 1, consumed: 3 });
    expect(r.alertChanges.map((c) => c.kind)).toEqual(['alert.raised', 'alert.healed']);
    expect(reason('u1')).toBe('ALERT_CLOSED');
    expect(ledger.store.alerts.get(alertId)).toMatchObject({
      status: 'CLOSED',
      healed: true,
      rootCause: null,
    });
    const commissionSeq = ledger.store.itemSeqs(pack(5)).at(-1)!;
    expect(ledger.store.alerts.steps(alertId).map((s) => [s.kind, s.seq, s.note])).toEqual([
      ['RAISED', commissionSeq - 1, 'scanned lot L1, expiry 281231'],
      ['HEALED', commissionSeq, 'explained by late data'],
    ]);

    // Another node folding the same records one at a time ends in the same state.
    const other = tempLedger(chain.authority.verifyingKey);
    try {
      for (const record of [...setup, ...records]) other.folder.fold([record]);
      expect(other.folder.root()).toEqual(ledger.folder.root());
      expect(other.store.alerts.steps(alertId)).toEqual(ledger.store.alerts.steps(alertId));
      expect(other.store.alerts.get(alertId)).toEqual(ledger.store.alerts.get(alertId));
    } finally {
      other.close();
    }
  });

  it('heals at once a raise the log already explains', () => {
    const r = ledger.folder.fold([chain.raise(chain.pharmacy, pack(1), 'UNKNOWN_SERIAL', 'r1')]);
    expect(r.alertChanges.map((c) => c.kind)).toEqual(['alert.raised', 'alert.healed']);
    expect(ledger.store.alerts.get(alertId)?.healed).toBe(true);
  });

  it("heals a custody mismatch when a late shipment of the pack's container reaches the pharmacy", () => {
    ledger.folder.fold([
      chain.commission([sscc(1)]),
      chain.event(chain.maker, { type: 'AGGREGATE', parent: sscc(1), children: [pack(1)] } as never),
      chain.event(chain.maker, { type: 'SHIP', items: [sscc(1)], to: GLN.distributor } as never),
      chain.event(chain.distributor, { type: 'RECEIVE', items: [sscc(1)], from: GLN.maker } as never),
      chain.raise(chain.pharmacy, pack(1), 'CUSTODY_MISMATCH', 'r1'),
    ]);
    expect(ledger.store.alerts.get(alertId)?.status).toBe('OPEN');
    const r = ledger.folder.fold([
      chain.event(chain.distributor, { type: 'SHIP', items: [sscc(1)], to: GLN.pharmacy } as never),
    ]);
    expect(r.alertChanges.map((c) => c.kind)).toEqual(['alert.healed']);
    expect(ledger.store.alerts.get(alertId)?.healed).toBe(true);
  });
  it('keeps an alert open when a later leaf turns it into another potential falsification', () => {
    // Pharmacy 2 scans a pack the ledger has at pharmacy 1; then pharmacy 1 dispenses it.
    ledger.folder.fold([
      chain.event(chain.maker, { type: 'SHIP', items: [pack(1)], to: GLN.pharmacy } as never),
      chain.event(chain.pharmacy, { type: 'RECEIVE', items: [pack(1)], from: GLN.maker } as never),
      chain.raise(chain.pharmacy2, pack(1), 'CUSTODY_MISMATCH', 'r9'),
    ]);
    const r = ledger.folder.fold([
      chain.event(chain.pharmacy, { type: 'DISPENSE', items: [pack(1)] } as never),
    ]);
    expect(r.alertChanges).toEqual([]);
    expect(ledger.store.alerts.get(`${GLN.pharmacy2}:r9`)?.status).toBe('OPEN');
  });
});
