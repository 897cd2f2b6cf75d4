// Per-event CPU of signing and checking records, one at a time (SignedEvent v1) against batch
// signatures (v2), on one thread, from encoded custody event to Kafka value and back: what the
// gateway and the ledger's intake spend on signatures per event. The ledger's batch verdict cache
// is modelled by verifying each distinct (key, message, signature) once.
// Run: npx tsx shared/events/bench/batch.bench.ts [batch size, default 100]   (not a test; prints µs/event)
import {
  type CustodyEvent,
  decodeSignedEvent,
  encodeCustodyEvent,
  encodeSignedEvent,
  nodeEd25519,
  SigningKey,
  signedMessages,
  signEvent,
  signEventBatch,
  verifyEventSignature,
} from '../src/index.ts';

const BATCH = Number(process.argv[2] ?? 100);
const ROUNDS = 30;
const key = SigningKey.fromSeed(new Uint8Array(32).fill(42));

const event = (i: number): CustodyEvent => ({
  eventId: `bench-${i}-0f6c2a9e-4b1d-4c8e-9a77`,
  eventTime: Date.UTC(2025, 0, 15) + i,
  eventTimeOffsetMinutes: 60,
  party: '4012345000009',
  site: '4012345000016',
  type: 'COMMISSION',
  items: [`https://id.gs1.org/01/04012345123456/21/SN${i}AB12`],
  lot: 'LOT-2025-0042',
  expiry: '271231',
});
const events = Array.from({ length: BATCH }, (_, i) => encodeCustodyEvent(event(i)));

function perEvent(label: string, round: () => void): void {
  for (let i = 0; i < 3; i++) round();
  const start = performance.now();
  for (let i = 0; i < ROUNDS; i++) round();
  const us = ((performance.now() - start) * 1000) / (ROUNDS * BATCH);
  console.log(`${label.padEnd(44)} ${us.toFixed(1).padStart(7)} µs/event`);
}

const v1 = events.map((e) => encodeSignedEvent(signEvent(nodeEd25519, key, e)));
const v2 = signEventBatch(nodeEd25519, key, events).map((s) => encodeSignedEvent(s));
console.log(
  `Node ${process.version}, batches of ${BATCH}, record ${v1[0]!.length} B (v1) / ${v2[0]!.length} B (v2)\n`,
);

perEvent('sign: v1, one signature per event', () => {
  for (const e of events) encodeSignedEvent(signEvent(nodeEd25519, key, e));
});
perEvent('sign: v2, one signature per batch', () => {
  for (const s of signEventBatch(nodeEd25519, key, events)) encodeSignedEvent(s);
});
perEvent('check: v1, decode + verify each', () => {
  for (const r of v1)
    if (!verifyEventSignature(nodeEd25519, decodeSignedEvent(r), key.verifyingKey).ok) throw new Error('v1');
});
perEvent('check: v2, decode, paths by batch, verify once', () => {
  const verdicts = new Map<string, boolean>();
  const decoded = v2.map((r) => decodeSignedEvent(r));
  for (const [i, message] of signedMessages(decoded).entries()) {
    if (!message.ok) throw new Error(message.message);
    const id = Buffer.from(message.message).toString('hex');
    if (!verdicts.has(id))
      verdicts.set(id, verifyEventSignature(nodeEd25519, decoded[i]!, key.verifyingKey).ok);
    if (!verdicts.get(id)) throw new Error('v2');
  }
});
