import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  freshChannel,
  GLN,
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
import { distributorProfile } from '../src/distributor-profile.ts';

describe('distributor service', () => {
  const brokers = inject('kafkaBrokers');
  let channel: string;
  let url: string;
  let wholesale: TestParty;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    channel = await freshChannel(brokers, 'dst');
    const made = await makeParties(['distributor']);
    wholesale = made.parties.distributor!;
    const started = await startGateway(distributorProfile, { brokers, channel, parties: [wholesale.config] });
    url = started.url;
    stop = async () => {
      await started.gateway.stop();
      await made.cleanup();
    };
  });
  afterAll(() => stop?.());

  it('publishes every type it takes, signed so that the registry accepts each record', async () => {
    const events = [
      { type: 'RECEIVE', items: [SSCC[0]], from: GLN.manufacturer },
      { type: 'DISAGGREGATE', parent: SSCC[0] },
      { type: 'AGGREGATE', parent: SSCC[1], children: [pack('D1'), pack('D2')] },
      { type: 'SHIP', items: [SSCC[1]], to: GLN.pharmacy },
      { type: 'DECOMMISSION', items: [pack('D3')], reason: 'stolen' },
    ];
    const res = await postEvents(url, wholesale.scannerKey, events);
    expect(res.status).toBe(202);
    const records = await readTopic(brokers, channel);
    const registry = genesisRegistry([wholesale]);
    const decoded = records.map((r) => verifyRecord(registry, r.value));
    expect(decoded.map((e) => e.eventId)).toEqual(res.body.eventIds);
    expect(decoded.map((e) => e.type)).toEqual(events.map((e) => e.type));
    for (const e of decoded) expect(e).toMatchObject({ party: GLN.distributor, site: GLN.warehouse });
  });

  it.each(['COMMISSION', 'DISPENSE', 'RECALL'])('refuses %s with 403', async (type) => {
    const start = await topicEnd(brokers, channel);
    const res = await postEvents(url, wholesale.scannerKey, [{ type, items: [pack('D1')] }]);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(`distributor service does not take ${type}`);
    expect(await topicEnd(brokers, channel)).toBe(start);
  });
});
