import { randomBytes } from 'node:crypto';
import {
  type CustodyEventOf,
  encodeCustodyEvent,
  encodeSignedEvent,
  nodeEd25519,
  type RegistryChange,
  type SigningKey,
  signEvent,
} from '@rxledger/events';
import { createIdempotentProducer, createKafkaClient, custodyTopicName } from '@rxledger/kafka';
import type { EventOutcome, RegistryClient } from './registry-client.ts';

/** The REGISTRY event of `changes`, by the authority party, dated now. */
export function registryChangeEvent(
  authorityGln: string,
  changes: RegistryChange[],
  now: number,
): CustodyEventOf<'REGISTRY'> {
  return {
    type: 'REGISTRY',
    // Unique per change: the ledger refuses a reused eventId with other content.
    eventId: `registry-${now}-${randomBytes(4).toString('hex')}`,
    eventTime: now,
    eventTimeOffsetMinutes: 0,
    party: authorityGln,
    site: authorityGln,
    changes,
  };
}

/**
 * Signs `event` with the authority's key and appends it to the channel's custody topic. Returns once
 * the broker acknowledged it to all in-sync replicas (acks=all, idempotent producer): it MUST NOT be
 * taken as folded; waitForOutcome says that.
 */
export async function publishRegistryEvent(
  target: { brokers: string[]; channel: string },
  authority: SigningKey,
  event: CustodyEventOf<'REGISTRY'>,
): Promise<void> {
  const value = encodeSignedEvent(signEvent(nodeEd25519, authority, encodeCustodyEvent(event)));
  const kafka = createKafkaClient({ brokers: target.brokers, clientId: 'rxledger-registry' });
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  try {
    await producer.send({
      topic: custodyTopicName(target.channel),
      acks: -1,
      messages: [{ value: Buffer.from(value) }],
    });
  } finally {
    await producer.disconnect();
  }
}

/** Polls the ledger until it has folded the event (ACCEPTED or REJECTED), or `timeoutMs` passed (UNKNOWN). */
export async function waitForOutcome(
  ledger: RegistryClient,
  eventId: string,
  party: string,
  timeoutMs: number,
): Promise<EventOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await ledger.outcome(eventId, party);
    if (outcome.state !== 'UNKNOWN' || Date.now() > deadline) return outcome;
    await new Promise((r) => setTimeout(r, 200));
  }
}
