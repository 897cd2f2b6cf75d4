import { nobleEd25519 } from '@rxledger/events';
import { toHex } from '@rxledger/tlog';
import { vi } from 'vitest';

/**
 * Remembers @noble's answer for each (key, message, signature) for the rest of the test file. The
 * answer is a pure function of those bytes, so reports do not change; only the hundreds of
 * re-verifications of untouched leaves in the bit-flip tests stop costing 3 ms each.
 */
export function memoizeNobleVerify(): void {
  const verify = nobleEd25519.verify.bind(nobleEd25519);
  const seen = new Map<string, boolean>();
  vi.spyOn(nobleEd25519, 'verify').mockImplementation((key, message, signature) => {
    const id = `${toHex(key.bytes)}:${toHex(signature)}:${toHex(message)}`;
    let ok = seen.get(id);
    if (ok === undefined) {
      ok = verify(key, message, signature);
      seen.set(id, ok);
    }
    return ok;
  });
}
