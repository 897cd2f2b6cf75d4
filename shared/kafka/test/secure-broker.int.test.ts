import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createIdempotentProducer,
  createKafkaClient,
  type KafkaLogSink,
  readKafkaSecurity,
  setupCustodyTopic,
} from '../src/index.ts';
import { type LocalBroker, startLocalBroker } from '../src/local-broker.ts';

// A broker of its own: the run's shared broker has no SASL_SSL listener.
describe('a broker that wants SASL over TLS', () => {
  const password = `pw-${randomBytes(12).toString('hex')}`;
  let broker: LocalBroker;
  let dir: string;
  let passwordFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxledger-secure-'));
    passwordFile = join(dir, 'password');
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    broker = await startLocalBroker({
      version: inject('kafkaVersion'),
      cacheDir: join(homedir(), '.cache', 'rxledger'),
      heap: '512m',
      onProgress: () => {},
      secure: { users: [{ username: 'gateway', password }] },
    });
  });
  afterAll(async () => {
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const env = (
    mechanism: string,
    pw: { KAFKA_SASL_PASSWORD_FILE: string } | { KAFKA_SASL_PASSWORD: string },
  ) =>
    readKafkaSecurity('test', {
      KAFKA_SASL_MECHANISM: mechanism,
      KAFKA_SASL_USERNAME: 'gateway',
      ...pw,
      KAFKA_TLS_CA_FILE: broker.secure!.caFile,
    });

  const capture = () => {
    const lines: string[] = [];
    const push = (obj: object, msg: string) => lines.push(`${msg} ${JSON.stringify(obj)}`);
    const sink: KafkaLogSink = { debug: push, info: push, warn: push, error: push };
    return { sink, lines };
  };

  it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])(
    'creates the topic, produces acks=all and consumes it back over SASL_SSL with %s',
    async (mechanism) => {
      const security = env(mechanism, { KAFKA_SASL_PASSWORD_FILE: passwordFile });
      const { sink, lines } = capture();
      const kafka = createKafkaClient({
        brokers: broker.secure!.brokers,
        clientId: 'secure',
        log: sink,
        security,
      });
      const channel = `sec-${mechanism.toLowerCase()}-${randomBytes(3).toString('hex')}`;
      const topic = await setupCustodyTopic(kafka, { channel, replicationFactor: 1, minInsyncReplicas: 1 });

      const values = Array.from({ length: 20 }, () => randomBytes(100));
      const producer = createIdempotentProducer(kafka);
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
      await producer.disconnect();

      const consumer = kafka.consumer({ groupId: `g-${channel}`, maxWaitTimeInMs: 100 });
      const received: Buffer[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message }) => {
              received.push(message.value!);
              if (received.length === values.length) resolve();
            },
          })
          .catch(reject);
      });
      await consumer.disconnect();
      expect(received).toEqual(values);
      expect(lines.join('\n')).not.toContain(password);
    },
  );

  it.each(['PLAIN', 'SCRAM-SHA-512'])(
    'refuses a wrong %s password with a clear error that does not hold it',
    async (mechanism) => {
      const wrong = `${password}-wrong`;
      const { sink, lines } = capture();
      const kafka = createKafkaClient({
        brokers: broker.secure!.brokers,
        clientId: 'secure-wrong',
        log: sink,
        security: env(mechanism, { KAFKA_SASL_PASSWORD: wrong }),
      });
      const admin = kafka.admin({ retry: { retries: 0 } });
      const failure = await admin.connect().then(
        () => undefined,
        (err: Error) => err,
      );
      await admin.disconnect();
      expect(failure?.message).toMatch(
        new RegExp(
          `SASL ${mechanism.replace('-SHA-', ' SHA')} authentication failed: .*(Invalid username or password|invalid credentials)`,
        ),
      );
      expect(`${failure?.message} ${failure?.stack}`).not.toContain(wrong);
      expect(lines.join('\n')).not.toContain(wrong);
    },
  );

  it('does not trust the broker without its CA: certificates are verified', async () => {
    const kafka = createKafkaClient({
      brokers: broker.secure!.brokers,
      clientId: 'secure-no-ca',
      security: readKafkaSecurity('test', {
        KAFKA_TLS: '1',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'gateway',
        KAFKA_SASL_PASSWORD_FILE: passwordFile,
      }),
    });
    const admin = kafka.admin({ retry: { retries: 0 } });
    await expect(admin.connect()).rejects.toThrow(/self.signed certificate/i);
    await admin.disconnect();
  });
});
