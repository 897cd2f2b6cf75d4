import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  freshChannel,
  GLN,
  GTIN,
  genesisRegistry,
  makeParties,
  pack,
  postEvents,
  readTopic,
  SSCC,
  startGateway,
  type TestParty,
  topicEnd,
  verifyRecord,
} from '../../../shared/gateway/test/support/harness.ts';
import { manufacturerProfile } from '../src/manufacturer-profile.ts';

describe('manufacturer service', () => {
  const brokers = inject('kafkaBrokers');
  let channel: string;
  let url: string;
  let acme: TestParty;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    channel = await freshChannel(brokers, 'mfr');
    const made = await makeParties(['manufacturer']);
    acme = made.parties.manufacturer!;
    const started = await startGateway(manufacturerProfile, { brokers, channel, parties: [acme.config] });
    url = started.url;
    stop = async () => {
      await started.gateway.stop();
      await made.cleanup();
    };
  });
  afterAll(() => stop?.());

  it('publishes every type it takes, signed so that the registry accepts each record', async () => {
    const events = [
      { type: 'COMMISSION', items: [pack('M1'), pack('M2'), SSCC[0]], lot: 'LOT1', expiry: '280630' },
      { type: 'AGGREGATE', parent: SSCC[0], children: [pack('M1'), pack('M2')] },
      { type: 'DISAGGREGATE', parent: SSCC[0], children: [pack('M2')] },
      { type: 'SHIP', items: [SSCC[0]], to: GLN.distributor },
      { type: 'DECOMMISSION', items: [pack('M2')], reason: 'sample' },
      { type: 'RECALL', gtin: GTIN, lot: 'LOT1', reason: 'label misprint' },
    ];
    const res = await postEvents(url, acme.scannerKey, events);
    expect(res.status).toBe(202);
    const records = await readTopic(brokers, channel);
    const registry = genesisRegistry([acme]);
    const decoded = records.map((r) => verifyRecord(registry, r.value));
    expect(decoded.map((e) => e.eventId)).toEqual(res.body.eventIds);
    expect(decoded.map((e) => e.type)).toEqual(events.map((e) => e.type));
    for (const e of decoded) expect(e).toMatchObject({ party: GLN.manufacturer, site: GLN.plant });
  });

  it.each(['RECEIVE', 'DISPENSE'])('refuses %s with 403', async (type) => {
    const start = await topicEnd(brokers, channel);
    const res = await postEvents(url, acme.scannerKey, [
      { type, items: [pack('M1')], from: GLN.distributor },
    ]);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(`manufacturer service does not take ${type}`);
    expect(await topicEnd(brokers, channel)).toBe(start);
  });
});
