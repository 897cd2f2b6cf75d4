// Sign and verify throughput of the two Ed25519 implementations on ~300-byte custody events.
// Run: npx tsx shared/events/bench/sign.bench.ts   (not a test; prints ops/s)
import {
  type CustodyEvent,
  type Ed25519,
  encodeCustodyEvent,
  nobleEd25519,
  nodeEd25519,
  SigningKey,
  signEvent,
  verifyEventSignature,
} from '../src/index.ts';

const SECONDS = 2;
const key = SigningKey.fromSeed(new Uint8Array(32).fill(42));

function event(i: number): CustodyEvent {
  const items = Array.from(
    { length: 4 },
    (_, j) => `https://id.gs1.org/01/04012345123456/21/SN${i}x${j}AB12`,
  );
  return {
    eventId: `bench-${i}-0f6c2a9e-4b1d-4c8e-9a77`,
    eventTime: Date.UTC(2025, 0, 15) + i,
    eventTimeOffsetMinutes: 60,
    party: '4012345000009',
    site: '4012345000016',
    type: 'COMMISSION',
    items,
    lot: 'LOT-2025-0042',
    expiry: '271231',
  };
}

const events = Array.from({ length: 256 }, (_, i) => encodeCustodyEvent(event(i)));
const avg = events.reduce((n, e) => n + e.length, 0) / events.length;

function measure(label: string, op: (i: number) => void): number {
  for (let i = 0; i < 200; i++) op(i); // warm up
  let n = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < 20; k++) op(n++);
  }
  const opsPerSecond = n / ((performance.now() - start) / 1000);
  console.log(`${label.padEnd(28)} ${Math.round(opsPerSecond).toLocaleString('en-US').padStart(9)} ops/s`);
  return opsPerSecond;
}

console.log(
  `Node ${process.version}, events of ${avg.toFixed(0)} bytes (single-object encoding), ${SECONDS} s each\n`,
);
const results: Record<string, { sign: number; verify: number }> = {};
for (const ed of [nodeEd25519, nobleEd25519] as Ed25519[]) {
  const signed = events.map((e) => signEvent(ed, key, e));
  const sign = measure(`${ed.name} sign`, (i) => signEvent(ed, key, events[i % events.length]!));
  const verify = measure(`${ed.name} verify`, (i) => {
    if (!verifyEventSignature(ed, signed[i % signed.length]!, key.verifyingKey).ok)
      throw new Error('verify failed');
  });
  results[ed.name] = { sign, verify };
}
const [node, noble] = [results[nodeEd25519.name]!, results[nobleEd25519.name]!];
console.log(
  `\nnode:crypto / noble: sign ${(node.sign / noble.sign).toFixed(1)}x, verify ${(node.verify / noble.verify).toFixed(1)}x`,
);
