// The real services on a broker that wants SASL over TLS: a partner gateway publishes with PLAIN, the
// ledger folds the topic with SCRAM-SHA-512, and a wrong password is refused in words an operator
// can act on, without the password in them.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway } from '@rxledger/gateway';
import { readKafkaSecurity } from '@rxledger/kafka';
import { manufacturerProfile } from '@rxledger/manufacturer';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
// Not part of @rxledger/kafka's public face: only tests own a broker.
import { type LocalBroker, startLocalBroker } from '../shared/kafka/src/local-broker.ts';
import { GLN, GTIN, startSystem, type TestSystem } from './support/system.ts';

describe('the services on a SASL_SSL broker', () => {
  const users = {
    ledger: `ledger-${randomBytes(10).toString('hex')}`,
    gateway: `gateway-${randomBytes(10).toString('hex')}`,
  };
  let dir: string;
  let broker: LocalBroker;
  let sys: TestSystem;
  const security = (mechanism: string, username: string, password: string) =>
    readKafkaSecurity('test', {
      KAFKA_SASL_MECHANISM: mechanism,
      KAFKA_SASL_USERNAME: username,
      KAFKA_SASL_PASSWORD: password,
      KAFKA_TLS_CA_FILE: broker.secure!.caFile,
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxledger-secure-sys-'));
    broker = await startLocalBroker({
      version: inject('kafkaVersion'),
      cacheDir: join(homedir(), '.cache', 'rxledger'),
      heap: '512m',
      onProgress: () => {},
      secure: {
        users: [
          { username: 'ledger', password: users.ledger },
          { username: 'gateway', password: users.gateway },
        ],
      },
    });
    sys = await startSystem(broker.secure!.brokers, {
      ledgerSecurity: security('SCRAM-SHA-512', 'ledger', users.ledger),
      gatewaySecurity: security('PLAIN', 'gateway', users.gateway),
    });
  });
  afterAll(async () => {
    await sys?.stop();
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes through the gateway with PLAIN and folds through the ledger with SCRAM-SHA-512', async () => {
    const url = sys.urls.manufacturer;
    const headers = { authorization: `Bearer ${sys.scanner[GLN.maker]}`, 'content-type': 'application/json' };
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        events: [{ type: 'COMMISSION', items: [`(01)${GTIN}(21)SASL1`], lot: 'L1', expiry: '281231' }],
      }),
    });
    expect(res.status).toBe(202);
    const [id] = ((await res.json()) as { eventIds: string[] }).eventIds;
    // The ledger answers 404 until it has folded the event: wait for its verdict, boundedly.
    let state: { state?: string } = {};
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      const answer = await fetch(`${sys.ledgerUrl}/v1/events/${id}`, {
        headers: { authorization: `Bearer ${sys.regulatorToken}` },
      });
      state = (await answer.json()) as { state?: string };
      if (answer.status !== 404) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toMatchObject({ state: 'ACCEPTED' });
  });

  it('a gateway with a wrong password is not ready, says SASL authentication failed, and never says the password', async () => {
    const wrong = `${users.gateway}-wrong`;
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const gateway = createGateway({
      ...manufacturerProfile,
      host: '127.0.0.1',
      port: 0,
      brokers: broker.secure!.brokers,
      kafkaSecurity: security('PLAIN', 'gateway', wrong),
      channel: 'main',
      parties: [],
      ledgerUrl: sys.ledgerUrl,
      log,
      publishTimeoutMs: 3_000,
    });
    const url = await gateway.start();
    try {
      const ready = await fetch(`${url}/readyz`);
      const body = await ready.text();
      expect(ready.status).toBe(503);
      expect(body).toMatch(/SASL PLAIN authentication failed/);
      expect(body).not.toContain(wrong);
    } finally {
      await gateway.stop();
    }
    expect(lines.join('\n')).toMatch(/SASL PLAIN authentication failed/);
    expect(lines.join('\n')).not.toContain(wrong);
  });
});
