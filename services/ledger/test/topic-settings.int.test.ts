import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey } from '@rxledger/events';
import { createKafkaClient, custodyTopicName } from '@rxledger/kafka';
import { createLogger } from '@rxledger/runtime';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLedgerService } from '../src/index.ts';
import { TestChain } from './support/test-chain.ts';
import { TOKEN_FILE } from './support/test-tokens.ts';

describe('a ledger node on a topic that could lose records', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rxledger-topic-settings-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses the topic for good, naming each unfit setting and how to fix it', async () => {
    const brokers = inject('kafkaBrokers');
    const channel = `trim-${process.pid}-${Date.now() % 100000}`;
    const admin = createKafkaClient({ brokers, clientId: 'topic-settings-test' }).admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: custodyTopicName(channel),
          configEntries: [
            { name: 'retention.ms', value: '604800000' },
            { name: 'message.timestamp.type', value: 'CreateTime' },
          ],
        },
      ],
    });
    await admin.disconnect();
    let fatal: (err: Error) => void = () => {};
    const refused = new Promise<Error>((resolve) => {
      fatal = resolve;
    });
    const ledger = createLedgerService({
      host: '127.0.0.1',
      port: 0,
      brokers,
      channel,
      dataDir,
      checkpointKey: SigningKey.generate(),
      origin: 'test.rxledger.dev/custody/settings',
      authority: new TestChain().authority.verifyingKey,
      tokens: TOKEN_FILE,
      log: createLogger({ service: 'ledger', level: 'silent' }),
      onFatal: (err) => fatal(err),
    });
    try {
      const url = await ledger.start();
      const why =
        /rxledger\.custody\.trim-\S+ is not fit to be a ledger's source of truth:\n {2}- retention\.ms is 604800000; it must be -1[^]*- message\.timestamp\.type is CreateTime/;
      expect((await refused).message).toMatch(why);
      // Alive but never ready, saying why, until its main stops it.
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toContain('retention.ms is 604800000');
    } finally {
      await ledger.stop();
    }
  });
});
