import { checkCustodyTopic, createKafkaClient, custodyTopicError, type KafkaSecurity } from '@rxledger/kafka';
import { type Logger, pause, type Readiness, retry } from '@rxledger/runtime';
import type { Admin } from 'kafkajs';

export interface TopicLinkOptions {
  brokers: string[];
  security: KafkaSecurity | undefined;
  topic: string;
  log: Logger;
  /** The node's stored position: the next offset it will fold. */
  position: () => number;
  /** Starts consuming once the topic exists and is fit; stops it when Kafka fails in between. */
  consume: { start(): Promise<void>; stop(): Promise<void> };
  /** The topic is unfit for good (it trims, compacts, or lets producers choose timestamps). */
  onUnfit: (err: Error) => void;
}

/**
 * The node's link to its custody topic: connects in the background, retried with backoff until
 * stop() (a node may start before the broker answers or before the topic is created, by `npm start`,
 * compose's setup or an operator: it waits rather than fails, and says why), checks the topic's
 * settings, starts consuming, and answers /readyz (waiting, catching up, or ready).
 */
export function createTopicLink(opts: TopicLinkOptions) {
  const { topic, log } = opts;
  // Probes (topic exists? how far is the topic?) try once: the connect loop and the next readiness
  // probe are their retries, and a stop() must not wait out kafkajs' own backoff.
  const probes = createKafkaClient({
    brokers: opts.brokers,
    security: opts.security,
    clientId: 'rxledger-ledger',
    log,
    retry: { retries: 0 },
  });
  let admin: Admin | undefined;
  let stopped = false;
  let connecting: Promise<void> | undefined;
  // Why the node is not consuming yet (Kafka down, topic missing), for /readyz; undefined once it is.
  let waiting: string | undefined = 'connecting to Kafka';
  const wake = new AbortController();
  const noTopic = `waiting for topic ${topic} to be created`;

  const connectedAdmin = async (): Promise<Admin> => {
    admin ??= probes.admin();
    await admin.connect();
    return admin;
  };
  const highWatermark = async () => {
    const [partition] = await (await connectedAdmin()).fetchTopicOffsets(topic);
    return Number(partition?.high ?? 0);
  };
  const topicExists = async () => (await (await connectedAdmin()).listTopics()).includes(topic);
  const unfit = (err: Error) => {
    waiting = err.message;
    log.error({ topic }, err.message);
    opts.onUnfit(err);
  };

  // One attempt: true once consuming (or refused for good), false while the topic does not exist.
  const attempt = async (): Promise<boolean> => {
    if (!(await topicExists())) {
      if (waiting !== noTopic) log.warn({ topic }, noTopic);
      waiting = noTopic;
      return false;
    }
    const problems = await checkCustodyTopic(await connectedAdmin(), topic);
    if (problems.length > 0) {
      unfit(custodyTopicError(topic, problems));
      return true;
    }
    if (stopped) return true;
    await opts.consume.start();
    waiting = undefined;
    log.info({ topic }, 'consuming');
    return true;
  };
  const connect = () =>
    keepConnecting(attempt, wake.signal, async (err, failures) => {
      waiting = `Kafka unreachable: ${(err as Error).message}`;
      log.warn({ err, failures }, `${waiting}; trying again`);
      await opts.consume.stop().catch(() => {});
    });

  return {
    highWatermark,
    /** Marks the node unable to go on (for /readyz) and tells the process. */
    unfit,
    async readiness(): Promise<Readiness> {
      if (waiting !== undefined) return { ready: false, detail: waiting };
      try {
        const high = await highWatermark();
        const next = opts.position();
        return next >= high
          ? { ready: true }
          : { ready: false, detail: `catching up: at offset ${next} of ${high} (${high - next} behind)` };
      } catch (err) {
        return { ready: false, detail: `Kafka unreachable: ${(err as Error).message}` };
      }
    },
    /** Starts connecting in the background. */
    start(): void {
      connecting = connect().catch((err: unknown) => log.error({ err }, 'connecting to Kafka failed'));
    },
    /** Ends the connect loop: its current attempt finishes first, so nothing starts consuming after. */
    async stop(): Promise<void> {
      stopped = true;
      wake.abort();
      await connecting;
    },
    /** Closes the probes' connection (after the consumer stopped). */
    async close(): Promise<void> {
      await admin?.disconnect().catch(() => {});
    },
  };
}

/**
 * Runs `attempt` until it returns true or `signal` aborts. A failure (Kafka unreachable: any error) is
 * retried with backoff, 0.5 s doubling up to 10 s, jittered, after `onFailure`; false (no topic yet)
 * is asked again every second, without backoff, so the node starts soon after the topic exists.
 */
async function keepConnecting(
  attempt: () => Promise<boolean>,
  signal: AbortSignal,
  onFailure: (err: unknown, failures: number) => Promise<void>,
): Promise<void> {
  const backoff = { attempts: Number.POSITIVE_INFINITY, baseDelayMs: 500, maxDelayMs: 10_000 };
  while (!signal.aborted) {
    try {
      if (await retry(attempt, { ...backoff, signal, retryable: () => true, onRetry: onFailure })) return;
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    await pause(1_000, signal);
  }
}
