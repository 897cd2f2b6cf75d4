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
import { createIdempotentProducer } from '@rxledger/kafka';
import type { Kafka } from 'kafkajs';
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
 * Signs `event` with the authority's key and appends it to `topic`. Returns once the broker
 * acknowledged it to all in-sync replicas (acks=all, idempotent producer): it MUST NOT be taken as
 * folded; waitForOutcome says that. The demo's genesis is published through here too.
 */
export async function publishRegistryEvent(
  kafka: Kafka,
  topic: string,
  authority: SigningKey,
  event: CustodyEventOf<'REGISTRY'>,
): Promise<void> {
  const value = encodeSignedEvent(signEvent(nodeEd25519, authority, encodeCustodyEvent(event)));
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ value: Buffer.from(value) }] });
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
