// Verifies Ed25519 signatures off the fold's thread. Plain JS with node:crypto only, so it loads in
// milliseconds without a TypeScript loader. It only answers "does this signature verify under these
// 32 key bytes": key validity, the key id, S < L and everything else stay with the fold's own checks.
import { createPublicKey, verify } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

const SPKI_PREFIX = Buffer.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const keys = new Map();

function keyObject(raw) {
  const hex = Buffer.from(raw).toString('hex');
  let key = keys.get(hex);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    if (keys.size > 10_000) keys.clear();
    keys.set(hex, key);
  }
  return key;
}

// The jobs come packed by packJobs (signature-pool.ts): per job, 64 signature bytes, the message
// length (u32 LE) and the message; keyOf[i] indexes the distinct raw keys.
parentPort.on('message', ({ id, keys: raw, keyOf, bad, data }) => {
  const keyObjects = raw.map((key) => {
    try {
      return keyObject(key);
    } catch {
      return undefined;
    }
  });
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const results = new Uint8Array(keyOf.length);
  for (let i = 0, at = 0; i < keyOf.length; i++) {
    const length = view.getUint32(at + 64, true);
    const key = keyObjects[keyOf[i]];
    try {
      const signature = data.subarray(at, at + 64);
      const message = data.subarray(at + 68, at + 68 + length);
      results[i] = key !== undefined && verify(null, message, key, signature) ? 1 : 0;
    } catch {
      results[i] = 0;
    }
    at += 68 + length;
  }
  for (const i of bad) results[i] = 0;
  parentPort.postMessage({ id, results }, [results.buffer]);
});
