// A self-test the regulator page runs while it waits for its first question: one RFC 8032 signature
// verified with @noble and one SHA-256, the two primitives every check of a bundle rests on. It proves
// the browser's copy of the verifier works before anything is shown as verified, and it takes the
// first-use cost of those code paths (tens of milliseconds) off the first bundle a regulator checks.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, toHex } from '@rxledger/tlog';

// RFC 8032 §7.1, TEST 1 (empty message).
const PUBLIC_KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const SIGNATURE =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';
// FIPS 180-4: SHA-256 of "abc".
const SHA256_ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

/** True when both known answers come out right; a false means this verifier must not be trusted. */
export function warmVerifier(): boolean {
  const signed = ed25519.verify(fromHex(SIGNATURE), new Uint8Array(0), fromHex(PUBLIC_KEY), {
    zip215: false,
  });
  const forged = ed25519.verify(fromHex(SIGNATURE), Uint8Array.of(0), fromHex(PUBLIC_KEY), { zip215: false });
  const hashed = toHex(sha256(new TextEncoder().encode('abc'))) === SHA256_ABC;
  return signed && !forged && hashed;
}
