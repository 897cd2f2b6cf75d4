// Where acknowledged events must have landed: on the custody topic, and ACCEPTED by the ledger.
import { randomBytes } from 'node:crypto';
import { createKafkaClient } from '@rxledger/kafka';
import { GLN, type TestSystem } from '../../support/system.ts';

/**
 * Every record key (the eventId, as the gateways publish it) on partition 0 of `topic`, read from
 * offset 0 up to the high watermark at the time of the call.
 */
export async function eventIdsOnTopic(
  brokers: string[],
  topic: string,
  timeoutMs = 60_000,
): Promise<Set<string>> {
  const kafka = createKafkaClient({ brokers, clientId: 'chaos-topic-reader' });
  const admin = kafka.admin();
  await admin.connect();
  const [partition] = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const high = Number(partition?.high ?? 0);
  const keys = new Set<string>();
  if (high === 0) return keys;

  const consumer = kafka.consumer({ groupId: `chaos-reader-${randomBytes(4).toString('hex')}` });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`read ${keys.size} keys of ${topic} but not up to offset ${high} in ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      void consumer
        .run({
          eachMessage: async ({ message }) => {
            if (message.key) keys.add(message.key.toString('utf8'));
            if (Number(message.offset) >= high - 1) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return keys;
}

/**
 * Asks the manufacturer service (as its scanner) for the state of each of `ids` until all are ACCEPTED
 * or `timeoutMs` passes; returns those that are not, with their last state.
 */
export async function notAccepted(
  sys: TestSystem,
  ids: Iterable<string>,
  timeoutMs: number,
): Promise<Array<{ id: string; state: string }>> {
  const headers = { authorization: `Bearer ${sys.scanner[GLN.maker]}` };
  let waiting = [...ids].map((id) => ({ id, state: 'unasked' }));
  const deadline = Date.now() + timeoutMs;
  while (waiting.length > 0 && Date.now() < deadline) {
    const next: typeof waiting = [];
    for (let i = 0; i < waiting.length; i += 16) {
      const states = await Promise.all(
        waiting.slice(i, i + 16).map(async ({ id }) => {
          try {
            const res = await fetch(`${sys.urls.manufacturer}/v1/events/${encodeURIComponent(id)}`, {
              headers,
              signal: AbortSignal.timeout(10_000),
            });
            const body = (await res.json()) as { state?: string };
            return { id, state: res.status === 200 ? String(body.state) : `HTTP ${res.status}` };
          } catch (err) {
            return { id, state: String(err) };
          }
        }),
      );
      next.push(...states.filter((s) => s.state !== 'ACCEPTED'));
    }
    waiting = next;
    if (waiting.length > 0) await new Promise((r) => setTimeout(r, 500));
  }
  return waiting;
}
