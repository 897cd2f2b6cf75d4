// The admission of an UNDO_DISPENSE on a real SQLite ledger: an undo outside the rule is rejected with
// its reason and never appended; one in the rule is appended and the pack is ACTIVE again. The pack's
// history is read with the fold call's own uncommitted leaves, so a dispense, a recall and an undo in
// one Kafka batch are judged as if each had its own.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CustodyEvent, SigningKey } from '@rxledger/events';
import { ed25519Signer, formatVerifierKey } from '@rxledger/tlog';
import { verifyBundle } from '@rxledger/verifier';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ItemHistory } from '../src/answers/item-history.ts';
import { itemState } from '../src/answers/provenance.ts';
import { makeBundle } from './support/make-bundle.ts';
import { tempLedger } from './support/temp-ledger.ts';
import { GLN, pack, T0, TestChain } from './support/test-chain.ts';

const DAY = 86_400_000;
const DISPENSED_AT = T0 + 4_000;

describe('UNDO_DISPENSE admission on a real SQLite ledger', () => {
  let chain: TestChain;
  let ledger: ReturnType<typeof tempLedger>;

  beforeEach(() => {
    chain = new TestChain();
    ledger = tempLedger(chain.authority.verifyingKey);
    ledger.folder.fold([chain.record(chain.sign(chain.genesis(), chain.authority))]);
  });
  afterEach(() => ledger.close());

  const p = pack(1);
  /** Commission, ship to the pharmacy, receive, dispense (eventId `dispense-1`, at T0 + 4 s: before any later event of the chain). */
  const stockedAndDispensed = () => [
    chain.event(chain.maker, { type: 'COMMISSION', items: [p], lot: 'L1', expiry: '281231' } as never),
    chain.event(chain.maker, { type: 'SHIP', items: [p], to: GLN.pharmacy } as never),
    chain.event(chain.pharmacy, { type: 'RECEIVE', items: [p], from: GLN.maker } as never),
    chain.event(chain.pharmacy, {
      type: 'DISPENSE',
      items: [p],
      eventId: 'dispense-1',
      eventTime: DISPENSED_AT,
    } as never),
  ];
  const undo = (fields: Partial<CustodyEvent> = {}, key = chain.pharmacy) =>
    chain.event(key, {
      type: 'UNDO_DISPENSE',
      dispense: 'dispense-1',
      items: [p],
      eventId: 'undo-1',
      ...fields,
    } as never);
  const state = () => itemState(new ItemHistory(ledger.store), p);
  const rejection = () => ledger.store.attributedRejections('undo-1')[0];

  it('appends an undo in the rule, in the same batch as its dispense, and the pack is ACTIVE again', () => {
    expect(ledger.folder.fold([...stockedAndDispensed(), undo()])).toMatchObject({
      appended: 5,
      rejected: 0,
    });
    expect(state()).toMatchObject({ status: 'ACTIVE', custodian: GLN.pharmacy });
    expect(state()?.undos).toEqual([{ seq: 5, eventId: 'undo-1', dispense: 'dispense-1', dispenseSeq: 4 }]);
  });

  it('rejects a late undo with UNDO_TOO_LATE, judged by its broker time, and appends nothing', () => {
    ledger.folder.fold(stockedAndDispensed());
    const late = undo({ eventTime: T0 + 5 * DAY });
    late.timestamp = DISPENSED_AT + 10 * DAY + 1;
    expect(ledger.folder.fold([late])).toMatchObject({ appended: 0, rejected: 1 });
    expect(rejection()).toMatchObject({
      code: 'UNDO_TOO_LATE',
      party: GLN.pharmacy,
      eventType: 'UNDO_DISPENSE',
    });
    expect(state()?.status).toBe('DISPENSED');
  });

  it("rejects another pharmacy's undo of the dispense with UNDO_OTHER_PARTY", () => {
    ledger.folder.fold(stockedAndDispensed());
    expect(ledger.folder.fold([undo({}, chain.pharmacy2)])).toMatchObject({ rejected: 1 });
    expect(rejection()).toMatchObject({ code: 'UNDO_OTHER_PARTY', party: GLN.pharmacy2 });
  });

  it('rejects an undo after a recall in the same batch with UNDO_RECALLED', () => {
    const recall = chain.event(chain.maker, {
      type: 'RECALL',
      gtin: '00614141123452',
      lot: 'L1',
      reason: 'x',
    } as never);
    expect(ledger.folder.fold([...stockedAndDispensed(), recall, undo()])).toMatchObject({
      appended: 5,
      rejected: 1,
    });
    expect(rejection()).toMatchObject({ code: 'UNDO_RECALLED' });
  });

  it('rejects an undo of no dispense with UNDO_NO_SUCH_DISPENSE', () => {
    ledger.folder.fold(stockedAndDispensed());
    ledger.folder.fold([undo({ dispense: 'nothing-here' })]);
    expect(rejection()).toMatchObject({ code: 'UNDO_NO_SUCH_DISPENSE' });
  });

  it('a recall dated before an accepted undo but folded after it leaves the pack DISPENSED', () => {
    const inTime = undo({ eventTime: T0 + 2 * DAY });
    inTime.timestamp = T0 + 2 * DAY + 60_000;
    ledger.folder.fold([...stockedAndDispensed(), inTime]);
    expect(state()?.status).toBe('ACTIVE');
    const recall = chain.event(chain.maker, {
      type: 'RECALL',
      gtin: '00614141123452',
      lot: 'L1',
      reason: 'x',
      eventTime: T0 + DAY,
    } as never);
    recall.timestamp = T0 + 2 * DAY + 3_600_000;
    ledger.folder.fold([recall]);
    expect(state()).toMatchObject({ status: 'DISPENSED', recalled: { reason: 'x' } });
    expect(state()?.undos?.[0]?.refusal?.code).toBe('UNDO_RECALLED');
  });

  it('gives a provenance bundle with the dispense and its undo that verifies offline, status ACTIVE', () => {
    ledger.folder.fold([...stockedAndDispensed(), undo()]);
    const key = SigningKey.generate();
    const origin = 'undo.test/custody';
    const bundle = makeBundle(ledger.store, p, { signer: ed25519Signer(origin, key.exportSeed()), origin });
    const report = verifyBundle(bundle, {
      checkpointKey: formatVerifierKey(origin, key.verifyingKey.bytes),
      authorityKey: chain.authority.verifyingKey,
    });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.timeline.at(-1)).toMatchObject({
      type: 'UNDO_DISPENSE',
      effect: 'dispense dispense-1 undone',
    });
    const answer = bundle as typeof bundle & {
      timeline: Array<Record<string, unknown>>;
      status: { status: string };
    };
    expect(answer.timeline.at(-1)).toMatchObject({ type: 'UNDO_DISPENSE', undo: 'returned to stock' });
    expect(answer.status.status).toBe('ACTIVE');

    // The same bundle through the CLI a regulator runs.
    const dir = mkdtempSync(join(tmpdir(), 'rxledger-undo-bundle-'));
    try {
      writeFileSync(join(dir, 'bundle.json'), JSON.stringify(bundle));
      const cli = fileURLToPath(new URL('../bin/rxledger.mjs', import.meta.url));
      const args = ['--checkpoint-key', formatVerifierKey(origin, key.verifyingKey.bytes)];
      args.push('--authority-key', chain.authority.verifyingKey.toBase64(), '--origin', origin);
      const r = spawnSync(process.execPath, [cli, 'verify-bundle', join(dir, 'bundle.json'), ...args], {
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/UNDO_DISPENSE +party 5009999000003 .*dispense dispense-1 undone/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
