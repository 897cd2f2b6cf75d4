import { describe, expect, inject, it } from 'vitest';
import type { PartnerProfile } from '../src/gateway.ts';
import { freshChannel, getJson, makeParties, pack, postEvents, startGateway } from './support/harness.ts';

const profile: PartnerProfile = { name: 'manufacturer', defaultPort: 0, acceptTypes: ['COMMISSION'] };

// Handles that would keep a process alive: sockets, servers, timers.
const live = () =>
  process
    .getActiveResourcesInfo()
    .filter((r) => /TCP|Timeout|Immediate|Pipe/.test(r))
    .sort();

describe('gateway lifecycle', () => {
  it('stop() leaves no socket, server or timer behind once it has published and answered /readyz', async () => {
    const brokers = inject('kafkaBrokers');
    const channel = await freshChannel(brokers, 'life');
    const made = await makeParties(['manufacturer']);
    await new Promise((r) => setTimeout(r, 200));
    const before = live();

    const { url, gateway } = await startGateway(profile, {
      brokers,
      channel,
      parties: [made.parties.manufacturer!.config],
    });
    const res = await postEvents(url, made.parties.manufacturer!.scannerKey, [
      { type: 'COMMISSION', items: [pack('L1')], lot: 'L', expiry: '271231' },
    ]);
    expect(res.status).toBe(202);
    expect((await getJson(url, '/readyz')).status).toBe(200);
    await gateway.stop();
    await made.cleanup();

    await new Promise((r) => setTimeout(r, 200));
    expect(live()).toEqual(before);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('refuses to start with a key file others can read, naming the party and the file', async () => {
    const brokers = inject('kafkaBrokers');
    const made = await makeParties(['manufacturer']);
    const { chmod } = await import('node:fs/promises');
    const party = made.parties.manufacturer!;
    await chmod(party.config.keyFile, 0o644);
    try {
      await expect(
        startGateway(profile, { brokers, channel: 'unused', parties: [party.config] }),
      ).rejects.toThrow(
        new RegExp(
          `party ${party.gln} \\(Acme Pharma\\): ${party.config.keyFile} is readable by group or others`,
        ),
      );
    } finally {
      await made.cleanup();
    }
  });
});
