// The simulator's plan, without I/O: deterministic, every event one the partner services take, the
// configured mess at its rates, every incident kind planted with the codes it must raise.
import { distributorProfile } from '@rxledger/distributor';
import { validateCustodyEvent } from '@rxledger/events';
import { manufacturerProfile } from '@rxledger/manufacturer';
import { pharmacyProfile } from '@rxledger/pharmacy';
import { describe, expect, it } from 'vitest';
import { answerIsDue } from '../../src/simulate/check-quality.ts';
import { type GroundTruth, recordRun, type TruthPack } from '../../src/simulate/ground-truth.ts';
import { INCIDENT_ALERTS } from '../../src/simulate/plant-incidents.ts';
import { planSimulation } from '../../src/simulate/plan-simulation.ts';
import type { SimOptions } from '../../src/simulate/sim-book.ts';
import { networkFrom } from '../../src/simulate/sim-network.ts';

const party = (gln: string, site: string, prefix?: string) => ({
  gln,
  name: `party ${gln}`,
  ...(prefix ? { companyPrefixes: [prefix] } : {}),
  scanners: [{ site, key: `scanner-${site}` }],
  ledgerToken: `token-${gln}`,
});
const MAKERS = [
  party('0614141000005', '0614141000012', '0614141'),
  party('4012345000009', '4012345000016', '4012345'),
  party('9501101000001', '9501101000018', '9501101'),
];
const PHARMACIES = [party('5009999000003', '5009999000010'), party('5009999000027', '5009999000034')];
const credentials = (pharmacies = PHARMACIES) => ({
  ledger: { url: 'http://127.0.0.1:7100' },
  services: {
    manufacturer: { url: 'http://127.0.0.1:7101', parties: MAKERS },
    distributor: {
      url: 'http://127.0.0.1:7102',
      parties: [party('4001234000008', '4001234000015'), party('7612345000008', '7612345000015')],
    },
    pharmacy: { url: 'http://127.0.0.1:7103', parties: pharmacies },
  },
});
const { network } = networkFrom(credentials());
const T0 = Date.parse('2026-12-03T18:00:00Z');
const OPTS: SimOptions = { seed: 7, packs: 2000, late: 0.2, dup: 0.05, resend: 0.02, shuffle: 0.1, t0: T0 };
const plan = planSimulation(network, OPTS);
const firsts = plan.uploads.filter((u) => u.copy === 'first');
const events = firsts.flatMap((u) => u.events.map((body) => ({ body, site: u.site, kind: u.kind })));

describe('the simulation plan', () => {
  it('is the same, byte for byte, for the same seed and options, and another for another seed or clock', () => {
    expect(JSON.stringify(planSimulation(network, OPTS))).toBe(JSON.stringify(plan));
    const other = planSimulation(network, { ...OPTS, seed: 8 });
    expect(JSON.stringify(other.uploads)).not.toBe(JSON.stringify(plan.uploads));
    // Another run with the same seed (npm start again) shares no serial and no eventId with this one.
    const later = planSimulation(network, { ...OPTS, t0: T0 + 1000 });
    const serials = new Set(plan.packs.map((p) => p.serial));
    expect(later.packs.filter((p) => serials.has(p.serial))).toEqual([]);
    expect(later.tag).not.toBe(plan.tag);
  });

  it('posts only events the partner services take, each once, from the scanner of its own party', () => {
    const accepts = {
      manufacturer: manufacturerProfile.acceptTypes,
      distributor: distributorProfile.acceptTypes,
      pharmacy: pharmacyProfile.acceptTypes,
    };
    const partyOfSite = new Map(
      Object.values(credentials().services).flatMap((s) =>
        s.parties.map((p) => [p.scanners[0]!.site, p.gln]),
      ),
    );
    for (const e of events) {
      const result = validateCustodyEvent(e.body, {
        party: partyOfSite.get(e.site)!,
        site: e.site,
        now: T0,
        acceptTypes: accepts[e.kind],
      });
      expect(result.ok ? [] : result.issues, JSON.stringify(e.body)).toEqual([]);
    }
    expect(new Set(events.map((e) => e.body.eventId)).size).toBe(events.length);
    expect(events.length).toBe(plan.events);
    // Every event happened in the six days before the run, so it is in the past and inside the
    // ledger's 7-day lateness window when posted.
    for (const e of events) {
      const t = Date.parse(e.body.eventTime);
      expect(t).toBeGreaterThanOrEqual(T0 - 6 * 86_400_000);
      expect(t).toBeLessThan(T0 - 60_000);
    }
  });

  it('spreads the packs over several manufacturers, each commissioning only GTINs of its own prefix', () => {
    const byMaker = new Map<string, Set<string>>();
    for (const e of events.filter((x) => x.body.type === 'COMMISSION')) {
      const gtins = (e.body.items as string[]).map((uri) => uri.split('/')[4]!);
      const prefix = MAKERS.find((m) => m.scanners[0]!.site === e.site)!.companyPrefixes![0]!;
      for (const g of gtins) expect(g.slice(1, 8)).toBe(prefix);
      byMaker.set(prefix, new Set([...(byMaker.get(prefix) ?? []), ...gtins]));
    }
    expect(byMaker.size).toBe(3);
    const types = new Set(events.map((e) => e.body.type));
    expect([...types].sort()).toEqual(
      [
        'AGGREGATE',
        'COMMISSION',
        'DECOMMISSION',
        'DISAGGREGATE',
        'DISPENSE',
        'RECALL',
        'RECEIVE',
        'SHIP',
      ].sort(),
    );
  });

  it('holds the configured mess: late events, shuffled batches, duplicates and resends at their rates', () => {
    const { mess } = plan;
    expect(mess.late / plan.events).toBeCloseTo(0.2, 1);
    expect(mess.shuffled / mess.batches).toBeCloseTo(0.1, 1);
    expect(mess.duplicates / mess.batches).toBeCloseTo(0.05, 1);
    expect(mess.resends / mess.batches).toBeCloseTo(0.02, 1);
    // A duplicate or resend repeats an earlier upload exactly: same eventIds, same content.
    const seen = new Set(firsts.map((u) => JSON.stringify(u.events)));
    for (const u of plan.uploads.filter((x) => x.copy !== 'first'))
      expect(seen.has(JSON.stringify(u.events))).toBe(true);
    // Late events really land after events that happened hours later; without lateness none does.
    const behind = (uploads: typeof plan.uploads) => {
      let newest = 0;
      let count = 0;
      for (const e of uploads.filter((u) => u.copy === 'first').flatMap((u) => u.events)) {
        const t = Date.parse(e.eventTime);
        if (newest - t > 2 * 3_600_000) count++;
        newest = Math.max(newest, t);
      }
      return count;
    };
    expect(behind(plan.uploads)).toBeGreaterThan(plan.events * 0.1);
    expect(behind(planSimulation(network, { ...OPTS, late: 0, shuffle: 0 }).uploads)).toBe(0);
  });

  it('plants every incident kind, about one per 400 packs, each with the codes verify must raise', () => {
    const kinds = new Map<string, TruthPack[]>();
    for (const p of plan.packs.filter((x) => x.incident))
      kinds.set(p.incident!, [...(kinds.get(p.incident!) ?? []), p]);
    expect([...kinds.keys()].sort()).toEqual(Object.keys(INCIDENT_ALERTS).sort());
    for (const [kind, packs] of kinds) {
      if (kind !== 'RECALLED') expect(packs).toHaveLength(5);
      for (const p of packs)
        expect(p.expect).toEqual({ dispensable: false, alerts: INCIDENT_ALERTS[p.incident!] });
    }
    const recalled = kinds.get('RECALLED')!;
    const recall = events.find((e) => e.body.type === 'RECALL')!.body;
    expect(recalled.every((p) => p.gtin === recall.gtin && p.lot === recall.lot)).toBe(true);
    expect(plan.packs.filter((p) => !p.incident && p.lot === recall.lot)).toEqual([]);
    // Genuine packs: about 35% dispensed, a few decommissioned or in transit, the rest dispensable.
    const genuine = plan.packs.filter((p) => !p.incident);
    const share = (s: string) => genuine.filter((p) => p.expect.status === s).length / genuine.length;
    expect(share('DISPENSED')).toBeCloseTo(0.33, 1);
    expect(share('ACTIVE')).toBeGreaterThan(0.5);
  });

  it('recalls one small lot, or none when told not to (the demo recalls in its first round only)', () => {
    expect(plan.packs.filter((p) => p.incident === 'RECALLED').length).toBeLessThanOrEqual(12);
    const none = planSimulation(network, { ...OPTS, recall: false });
    expect(none.packs.filter((p) => p.incident === 'RECALLED')).toEqual([]);
    expect(none.uploads.flatMap((u) => u.events).filter((e) => e.type === 'RECALL')).toEqual([]);
    expect(none.showcase.genuine?.at).toBe(PHARMACIES[0]!.gln);
  });

  it('skips the incidents that need a second pharmacy when there is one', () => {
    const one = planSimulation(networkFrom(credentials(PHARMACIES.slice(0, 1))).network, OPTS);
    const kinds = new Set(one.packs.map((p) => p.incident).filter(Boolean));
    expect(kinds.has('CLONE') || kinds.has('DIVERTED')).toBe(false);
    expect(kinds.has('STOLEN_RESOLD')).toBe(true);
  });

  it('puts the serials the demo prints at the first pharmacy', () => {
    const { showcase } = plan;
    expect(showcase.pharmacy).toBe(PHARMACIES[0]!.gln);
    for (const name of ['genuine', 'clone', 'recalled', 'dispensed'] as const) {
      expect(showcase[name]?.at, name).toBe(PHARMACIES[0]!.gln);
    }
    expect(showcase.genuine!.expect.dispensable).toBe(true);
    expect(showcase.dispensed!.expect.status).toBe('DISPENSED');
  });
});

describe('answerIsDue', () => {
  const genuine: TruthPack = {
    gtin: '00614141123452',
    serial: 'S1',
    lot: 'L1',
    expiry: '281231',
    at: '5009999000003',
    expect: { verdict: 'VERIFIED', status: 'ACTIVE', dispensable: true, alerts: [] },
  };
  const verified = { verdict: 'VERIFIED', status: 'ACTIVE', dispensable: true, alerts: [] } as const;

  it('takes a genuine pack only with exactly the answer due', () => {
    expect(answerIsDue(genuine, { ...verified })).toBe(true);
    expect(answerIsDue(genuine, { ...verified, alerts: ['CHAIN_ANOMALY'] })).toBe(false);
    expect(answerIsDue(genuine, { ...verified, verdict: 'SUSPECT' })).toBe(false);
    expect(answerIsDue(genuine, { ...verified, status: 'IN_TRANSIT' })).toBe(false);
    expect(answerIsDue(genuine, { ...verified, dispensable: false })).toBe(false);
  });

  it('finds an incident when every code it must raise is there and the pack is not dispensable', () => {
    const clone: TruthPack = {
      ...genuine,
      incident: 'DOUBLE_DISPENSE',
      expect: { dispensable: false, alerts: ['ALREADY_DISPENSED', 'CHAIN_ANOMALY'] },
    };
    const got = { verdict: 'SUSPECT', status: 'DISPENSED', dispensable: false } as const;
    expect(answerIsDue(clone, { ...got, alerts: ['CHAIN_ANOMALY', 'ALREADY_DISPENSED', 'EXPIRED'] })).toBe(
      true,
    );
    expect(answerIsDue(clone, { ...got, alerts: ['ALREADY_DISPENSED'] })).toBe(false);
    expect(answerIsDue(clone, { ...verified, alerts: ['ALREADY_DISPENSED', 'CHAIN_ANOMALY'] })).toBe(false);
  });
});

describe('recordRun', () => {
  it('keeps the newest runs within keepPacks, dropping whole runs from the oldest, never the last', () => {
    const truth: GroundTruth = { version: 1, runs: [], packs: [] };
    const packsOf = (tag: string, n: number) =>
      planSimulation(network, { ...OPTS, packs: n, t0: T0 + n })
        .packs.slice(0, n)
        .map((p) => ({ ...p, serial: tag }));
    for (const [tag, n] of [
      ['A', 30],
      ['B', 30],
      ['C', 40],
    ] as const) {
      recordRun(truth, { tag, options: OPTS, events: 0 }, packsOf(tag, n), 60);
    }
    expect(truth.runs.map((r) => r.tag)).toEqual(['C']);
    expect(new Set(truth.packs.map((p) => p.serial))).toEqual(new Set(['C']));
    recordRun(truth, { tag: 'D', options: OPTS, events: 0 }, packsOf('D', 100), 60);
    expect(truth.runs.map((r) => r.tag)).toEqual(['D']);
    expect(truth.packs).toHaveLength(100);
  });
});
