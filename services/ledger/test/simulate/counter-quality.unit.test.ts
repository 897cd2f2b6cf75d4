// `rxledger quality --counter` without I/O: which packs are due an alert, how the listed alerts are
// judged against the ground truth, and how a run holds its late uploads back.
import { sgtinUri } from '@rxledger/gs1';
import { describe, expect, it } from 'vitest';
import {
  alertsDue,
  checkCounterQuality,
  judgeAlerts,
  type ListedAlert,
} from '../../src/simulate/counter-quality.ts';
import type { TruthPack } from '../../src/simulate/ground-truth.ts';
import { splitLate, type Upload } from '../../src/simulate/schedule-uploads.ts';
import { networkFrom } from '../../src/simulate/sim-network.ts';

const MAKER = '0614141000005';
const P1 = '5009999000003';
const P2 = '5009999000027';
const DISTRIBUTOR = '4001234000008';
const party = (gln: string, site: string, prefix?: string) => ({
  gln,
  name: gln,
  ...(prefix ? { companyPrefixes: [prefix] } : {}),
  scanners: [{ site, key: `scanner-${site}` }],
  ledgerToken: `token-${gln}`,
});
const { network, access } = networkFrom({
  ledger: { url: 'http://127.0.0.1:7100', regulatorToken: 'regulator' },
  services: {
    manufacturer: { url: 'http://127.0.0.1:7101', parties: [party(MAKER, '0614141000012', '0614141')] },
    distributor: { url: 'http://127.0.0.1:7102', parties: [party(DISTRIBUTOR, '4001234000015')] },
    pharmacy: {
      url: 'http://127.0.0.1:7103',
      parties: [party(P1, '5009999000010'), party(P2, '5009999000034')],
    },
  },
});
const GTIN = network.manufacturers[0]!.gtins[0]!;

const pack = (serial: string, incident?: TruthPack['incident'], at = P1): TruthPack => ({
  gtin: GTIN,
  serial,
  lot: 'L1',
  expiry: '281231',
  at,
  ...(incident ? { incident } : {}),
  expect: { dispensable: false, alerts: [] },
});
const alert = (serial: string, over: Partial<ListedAlert> = {}): ListedAlert => ({
  id: `${P1}:alert-${serial}-${over.code ?? 'X'}`,
  item: sgtinUri(GTIN, serial),
  code: 'UNKNOWN_SERIAL',
  status: 'OPEN',
  healed: false,
  pharmacy: P1,
  manufacturer: MAKER,
  ...over,
});

describe('rxledger quality --counter, judged', () => {
  it('reads the counter keys (each pharmacy its first scanner) and the regulator token from the credentials', () => {
    expect([...access.counterKey]).toEqual([
      [P1, 'scanner-5009999000010'],
      [P2, 'scanner-5009999000034'],
    ]);
    expect(access.regulatorToken).toBe('regulator');
  });

  it('refuses to start without the regulator token, naming the field, before it scans anything', async () => {
    const { regulatorToken: _, ...noRegulator } = access;
    await expect(
      checkCounterQuality({ version: 1, runs: [], packs: [pack('A')] }, network, noRegulator),
    ).rejects.toThrow('credentials: ledger.regulatorToken: required to read the alerts raised');
  });

  it('is due one alert for a potential falsification scanned at a pharmacy, none for a recall or at a distributor', () => {
    expect(alertsDue(pack('A', 'COUNTERFEIT'), true)).toBe(1);
    expect(alertsDue(pack('A', 'DOUBLE_DISPENSE'), true)).toBe(1);
    expect(alertsDue(pack('A', 'RECALLED'), true)).toBe(0);
    expect(alertsDue(pack('A', 'RECALLED', DISTRIBUTOR), false)).toBe(0);
    expect(alertsDue(pack('A'), true)).toBe(0);
  });

  it('counts exactly one routed alert per incident as right, and names every other pack', () => {
    const packs = [
      pack('C1', 'COUNTERFEIT'),
      pack('C2', 'COUNTERFEIT'),
      pack('L1', 'LOT_MISMATCH'),
      pack('D1', 'DIVERTED', P2),
      pack('R1', 'RECALLED'),
      pack('G1'),
      pack('G2'),
    ];
    const r = judgeAlerts(
      packs,
      [
        alert('C1'),
        // C2 raised nothing; L1 twice; D1 went to the wrong manufacturer.
        alert('L1', { code: 'LOT_MISMATCH' }),
        alert('L1', { code: 'CHAIN_ANOMALY' }),
        alert('D1', { code: 'CHAIN_ANOMALY', pharmacy: P2, manufacturer: DISTRIBUTOR }),
        alert('G1', { status: 'CLOSED', healed: true }),
        alert('G2', { code: 'CUSTODY_MISMATCH' }),
      ],
      network,
    );
    expect(r.incidents).toEqual({
      COUNTERFEIT: { packs: 2, due: 2, raised: 1, right: 1, misrouted: 0 },
      LOT_MISMATCH: { packs: 1, due: 1, raised: 2, right: 0, misrouted: 0 },
      DIVERTED: { packs: 1, due: 1, raised: 1, right: 1, misrouted: 1 },
      RECALLED: { packs: 1, due: 0, raised: 0, right: 1, misrouted: 0 },
    });
    expect(r.genuine).toEqual({ raised: 2, healed: 1 });
    expect(r.problems).toEqual([
      `COUNTERFEIT (01)${GTIN}(21)C2 at ${P1}: 0 alerts (none), 1 due`,
      `LOT_MISMATCH (01)${GTIN}(21)L1 at ${P1}: 2 alerts (LOT_MISMATCH, CHAIN_ANOMALY), 1 due`,
      `DIVERTED (01)${GTIN}(21)D1 at ${P2}: alert ${P1}:alert-D1-CHAIN_ANOMALY routed to ${DISTRIBUTOR} at ${P2}, due ${MAKER} at ${P2}`,
      `genuine (01)${GTIN}(21)G2 at ${P1}: alert ${P1}:alert-G2-CUSTODY_MISMATCH CUSTODY_MISMATCH OPEN, not healed`,
    ]);
  });

  it('holds the late events back in their own uploads, in order, copies included', () => {
    const ev = (id: string) => ({ eventId: id, type: 'DISPENSE', eventTime: '2026-12-03T00:00:00Z' });
    const up = (copy: Upload['copy'], ...ids: string[]): Upload => ({
      kind: 'pharmacy',
      site: '5009999000010',
      copy,
      events: ids.map(ev),
    });
    const [onTime, late] = splitLate(
      [up('first', 'a', 'b'), up('duplicate', 'a', 'b'), up('first', 'c'), up('first', 'd', 'e')],
      new Set(['b', 'd', 'e']),
    );
    const ids = (us: Upload[]) => us.map((u) => [u.copy, ...u.events.map((e) => e.eventId)]);
    expect(ids(onTime)).toEqual([
      ['first', 'a'],
      ['duplicate', 'a'],
      ['first', 'c'],
    ]);
    expect(ids(late)).toEqual([
      ['first', 'b'],
      ['duplicate', 'b'],
      ['first', 'd', 'e'],
    ]);
  });
});
