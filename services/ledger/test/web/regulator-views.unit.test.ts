// The regulator page's recall scope, CSV and custody picture (web/recall-view.ts, web/csv.ts,
// web/bundle-view.ts), without a browser.
import { describe, expect, it } from 'vitest';
import { type BundleView, custodyPicture } from '../../web/bundle-view.ts';
import { toCsv } from '../../web/csv.ts';
import { type ScopePage, scopeView } from '../../web/recall-view.ts';

describe('toCsv', () => {
  it('quotes every cell, doubles quotes and ends lines with CRLF', () => {
    expect(toCsv(['a', 'b'], [['x"y', 'z,w']])).toBe('"a","b"\r\n"x""y","z,w"\r\n');
  });

  it('keeps a cell a spreadsheet would run as a formula as text', () => {
    const csv = toCsv(['v'], [['=HYPERLINK("x")'], ['+1'], ['-2'], ['@SUM(A1)'], ['\tx'], ['ok=1']]);
    expect(csv.split('\r\n').slice(1, -1)).toEqual([
      `"'=HYPERLINK(""x"")"`,
      `"'+1"`,
      `"'-2"`,
      `"'@SUM(A1)"`,
      `"'\tx"`,
      '"ok=1"',
    ]);
  });
});

const page = (packs: ScopePage['packs'], extra: Partial<ScopePage> = {}): ScopePage => ({
  gtin: '00614141123452',
  lot: 'R 2',
  count: 3,
  recalls: [{ index: 9, eventTime: '2026-01-02T03:04:05.000Z', reason: 'label misprint' }],
  packs,
  ...extra,
});
const pack = (item: string, status: string, more: Partial<ScopePage['packs'][number]> = {}) => ({
  item,
  status,
  anomalies: [],
  ...more,
});

describe('scopeView', () => {
  it('joins pages, counts statuses, names the recall and makes the CSV', () => {
    const v = scopeView([
      page([pack('A', 'RECALLED', { custodian: '1', parent: 'CASE' }), pack('B', 'DISPENSED')], {
        next: 'x',
      }),
      page([pack('C', 'RECALLED', { anomalies: [{ code: 'CLONE', index: 4, message: 'm' }] })]),
    ]);
    expect(v.summary).toBe('Lot R 2 of GTIN 00614141123452: 3 packs.');
    expect(v.recall).toBe('Recalled 2026-01-02T03:04:05.000Z (leaf 9): label misprint');
    expect(v.counts).toEqual([
      ['RECALLED', 2],
      ['DISPENSED', 1],
    ]);
    expect(v.rows[0]).toEqual(['A', 'RECALLED', '1', '', 'CASE', '', '']);
    expect(v.rows[2]![6]).toBe('CLONE (leaf 4)');
    expect(v.csv.split('\r\n')).toHaveLength(5);
    expect(v.csvName).toBe('recall-scope-00614141123452-R_2.csv');
  });

  it('says when only part of the lot was fetched, and when the lot was never recalled', () => {
    const v = scopeView([page([pack('A', 'ACTIVE')], { count: 5000, recalls: [] })]);
    expect(v.summary).toBe('Lot R 2 of GTIN 00614141123452: 1 of 5000 packs.');
    expect(v.recall).toBe('No recall of this lot is on the ledger.');
  });
});

describe('custodyPicture', () => {
  const entry = (
    index: number,
    party: string,
    effect: string,
    mark: 'ok' | 'bad' = 'ok',
    anomalies: string[] = [],
  ) => ({
    index,
    mark,
    when: '',
    what: '',
    effect,
    party,
    site: '',
    anomalies,
  });
  const view = (timeline: BundleView['timeline']): BundleView => ({
    tone: 'ok',
    headline: '',
    basis: '',
    timeline,
    checks: [],
  });

  it('gives one station per run of entries by one party, in order', () => {
    const stations = custodyPicture(
      view([
        entry(1, 'Maker', 'commissioned'),
        entry(2, 'Maker', 'packed into CASE'),
        entry(3, 'Maker', 'shipped'),
        entry(4, 'Wholesaler', 'received', 'ok', ['CUSTODY_MISMATCH: x']),
        entry(5, 'Pharmacy', 'dispensed', 'bad'),
      ]),
    );
    expect(stations.map((s) => [s.party, s.steps.length, s.mark])).toEqual([
      ['Maker', 3, 'ok'],
      ['Wholesaler', 1, 'ok'],
      ['Pharmacy', 1, 'bad'],
    ]);
    expect(stations[1]!.anomalies).toEqual(['CUSTODY_MISMATCH: x']);
  });
});
