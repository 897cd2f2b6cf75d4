import { describe, expect, it } from 'vitest';
import { namedItems } from '../src/index.ts';
import { SGTIN, SSCC1, sampleEvents } from './fixtures.ts';

describe('namedItems (what the ledger hash-links)', () => {
  it('lists items in event order, the parent first for (dis)aggregation, nothing for RECALL and REGISTRY', () => {
    expect(sampleEvents().map((e) => [e.type, namedItems(e)])).toEqual([
      ['COMMISSION', [SGTIN('SN0001'), SGTIN('SN0002'), SSCC1]],
      ['AGGREGATE', [SSCC1, SGTIN('SN0001'), SGTIN('SN0002')]],
      ['DISAGGREGATE', [SSCC1]],
      ['DISAGGREGATE', [SSCC1, SGTIN('SN0002')]],
      ['SHIP', [SSCC1]],
      ['RECEIVE', [SSCC1]],
      ['DISPENSE', [SGTIN('SN0001')]],
      ['DECOMMISSION', [SGTIN('SN0002'), 'https://id.gs1.org/00/040123450000000023']],
      ['RECALL', []],
      ['REGISTRY', []],
      ['REGISTRY', []],
    ]);
  });

  it('names an item once even if a decoded (unchecked) event repeats it', () => {
    const [e] = sampleEvents();
    expect(namedItems({ ...e!, type: 'DISPENSE', items: [SSCC1, SSCC1] })).toEqual([SSCC1]);
  });
});
