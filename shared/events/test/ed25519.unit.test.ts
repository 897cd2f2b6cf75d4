import { createHash, createPublicKey, verify as opensslVerify } from 'node:crypto';
import { ED25519_TORSION_SUBGROUP, ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  type CustodyEvent,
  type Ed25519,
  encodeCustodyEvent,
  fromHex,
  KeyError,
  keyIdOf,
  nobleEd25519,
  nodeEd25519,
  SIGNING_CONTEXT,
  SigningKey,
  signEvent,
  signingPayload,
  toHex,
  VerifyingKey,
  verifyEventSignature,
} from '../src/index.ts';
import { GLN, header, KEYS, SGTIN, SSCC1 } from './fixtures.ts';
import rfc8032 from './vectors/rfc8032-ed25519.json' with { type: 'json' };

const IMPLEMENTATIONS: [string, Ed25519][] = [
  ['node:crypto', nodeEd25519],
  ['@noble/curves', nobleEd25519],
];
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const leToBig = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
const bigToLe = (n: bigint) =>
  Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));

function keyErrorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof KeyError ? err.code : `not a KeyError: ${String(err)}`;
  }
  return 'did not throw';
}

function randomEvent(i: number): CustodyEvent {
  const serials = Array.from({ length: 1 + (i % 5) }, (_, j) =>
    SGTIN(`R${i}x${j}${Math.random().toString(36).slice(2, 8)}`),
  );
  const h = {
    ...header(GLN.manufacturer, GLN.plant, i),
    eventId: `rnd-${i}-${Math.random().toString(36).slice(2)}`,
  };
  switch (i % 4) {
    case 0:
      return { ...h, type: 'COMMISSION', items: serials, lot: `L${i}`, expiry: '281130' };
    case 1:
      return { ...h, type: 'AGGREGATE', parent: SSCC1, children: serials };
    case 2:
      return { ...h, type: 'SHIP', items: serials, to: GLN.distributor };
    default:
      return { ...h, type: 'DECOMMISSION', items: serials, reason: 'sample' };
  }
}

describe.each(IMPLEMENTATIONS)('RFC 8032 §7.1 vectors on %s', (_name, ed) => {
  it.each(rfc8032.vectors)('$name: public key, signature, verification', (v) => {
    const key = SigningKey.fromSeed(fromHex(v.secretKey));
    expect(toHex(key.verifyingKey.bytes)).toBe(v.publicKey);
    const message = fromHex(v.message);
    expect(toHex(ed.sign(key, message))).toBe(v.signature);
    const pub = VerifyingKey.fromBytes(fromHex(v.publicKey));
    expect(ed.verify(pub, message, fromHex(v.signature))).toBe(true);
    expect(ed.verify(pub, new Uint8Array([...message, 0]), fromHex(v.signature))).toBe(false);
  });
});

describe('the two implementations agree', () => {
  it('on 200 random events: same signature bytes, and each verifies what the other signed', () => {
    const key = KEYS.manufacturer;
    for (let i = 0; i < 200; i++) {
      const bytes = encodeCustodyEvent(randomEvent(i));
      const byNode = signEvent(nodeEd25519, key, bytes);
      const byNoble = signEvent(nobleEd25519, key, bytes);
      expect(toHex(byNode.signature)).toBe(toHex(byNoble.signature));
      expect(verifyEventSignature(nobleEd25519, byNode, key.verifyingKey)).toEqual({ ok: true });
      expect(verifyEventSignature(nodeEd25519, byNoble, key.verifyingKey)).toEqual({ ok: true });
    }
  });

  it('sign utf8("rxledger/custody-event/v1\\n") || event, nothing else', () => {
    const bytes = encodeCustodyEvent(randomEvent(1));
    const signed = signEvent(nodeEd25519, KEYS.manufacturer, bytes);
    expect(SIGNING_CONTEXT).toBe('rxledger/custody-event/v1\n');
    const message = new Uint8Array([...new TextEncoder().encode('rxledger/custody-event/v1\n'), ...bytes]);
    expect(signingPayload(bytes)).toEqual(message);
    expect(
      ed25519.verify(signed.signature, message, KEYS.manufacturer.verifyingKey.bytes, { zip215: false }),
    ).toBe(true);
    // A signature over the bare event bytes (no context) must not pass.
    const bare = { ...signed, signature: nodeEd25519.sign(KEYS.manufacturer, bytes) };
    expect(verifyEventSignature(nodeEd25519, bare, KEYS.manufacturer.verifyingKey).ok).toBe(false);
  });
});

describe.each(IMPLEMENTATIONS)('tampering and malformed signatures on %s', (_name, ed) => {
  const key = KEYS.manufacturer;
  const signed = signEvent(ed, key, encodeCustodyEvent(randomEvent(2)));
  const flip = (b: Uint8Array, bit: number) => {
    const c = b.slice();
    c[bit >> 3]! ^= 1 << (bit & 7);
    return c;
  };

  it('one flipped bit anywhere in the event bytes → BAD_SIGNATURE', () => {
    for (let bit = 0; bit < signed.event.length * 8; bit += 37) {
      const r = verifyEventSignature(ed, { ...signed, event: flip(signed.event, bit) }, key.verifyingKey);
      expect(r).toMatchObject({ ok: false, code: 'BAD_SIGNATURE' });
    }
  });

  it('one flipped bit in the key id → KEY_ID_MISMATCH (and the id names no key)', () => {
    const keyId = String.fromCharCode(signed.keyId.charCodeAt(0) ^ 1) + signed.keyId.slice(1);
    expect(verifyEventSignature(ed, { ...signed, keyId }, key.verifyingKey)).toMatchObject({
      ok: false,
      code: 'KEY_ID_MISMATCH',
    });
  });

  it('one flipped bit in R or in the low bits of S → BAD_SIGNATURE', () => {
    for (const bit of [0, 100, 255, 256, 300, 500]) {
      const r = verifyEventSignature(
        ed,
        { ...signed, signature: flip(signed.signature, bit) },
        key.verifyingKey,
      );
      expect(r).toMatchObject({ ok: false, code: 'BAD_SIGNATURE' });
    }
  });

  it('a signature of the wrong length → MALFORMED_SIGNATURE', () => {
    const r = verifyEventSignature(
      ed,
      { ...signed, signature: signed.signature.subarray(0, 63) },
      key.verifyingKey,
    );
    expect(r).toMatchObject({ ok: false, code: 'MALFORMED_SIGNATURE' });
    expect(ed.verify(key.verifyingKey, signingPayload(signed.event), new Uint8Array(65))).toBe(false);
  });

  it('S + L (same point equation, non-canonical scalar) → NON_CANONICAL_SIGNATURE; raw verify false', () => {
    const s = leToBig(signed.signature.subarray(32));
    const malleated = new Uint8Array([...signed.signature.subarray(0, 32), ...bigToLe(s + L)]);
    expect(verifyEventSignature(ed, { ...signed, signature: malleated }, key.verifyingKey)).toMatchObject({
      ok: false,
      code: 'NON_CANONICAL_SIGNATURE',
    });
    expect(ed.verify(key.verifyingKey, signingPayload(signed.event), malleated)).toBe(false);
  });

  it('R with a torsion component (valid for cofactored checks only) → BAD_SIGNATURE', () => {
    // Only the key holder can make one: R' = rB + T8, S = r + H(R'||A||M)·a. Plain noble (cofactored)
    // accepts it, OpenSSL (cofactorless) does not; rxledger must give one answer.
    const seed = new Uint8Array(32).fill(2);
    const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(seed);
    const message = signingPayload(signed.event);
    const r = 123456789n;
    const T8 = ed25519.Point.fromBytes(fromHex(ED25519_TORSION_SUBGROUP[1]!));
    const R = ed25519.Point.BASE.multiply(r).add(T8).toBytes();
    const k = leToBig(sha512(new Uint8Array([...R, ...pointBytes, ...message]))) % L;
    const sig = new Uint8Array([...R, ...bigToLe((r + k * scalar) % L)]);
    expect(ed25519.verify(sig, message, pointBytes, { zip215: false })).toBe(true);
    expect(ed.verify(key.verifyingKey, message, sig)).toBe(false);
  });
});

describe('public keys both implementations refuse', () => {
  it('every small-order point → SMALL_ORDER_KEY (or NON_CANONICAL_KEY for its non-canonical encodings)', () => {
    for (const hex of ED25519_TORSION_SUBGROUP) {
      expect(['SMALL_ORDER_KEY', 'NON_CANONICAL_KEY']).toContain(
        keyErrorCode(() => VerifyingKey.fromBytes(fromHex(hex))),
      );
    }
    expect(keyErrorCode(() => VerifyingKey.fromBytes(fromHex(ED25519_TORSION_SUBGROUP[0]!)))).toBe(
      'SMALL_ORDER_KEY',
    );
  });

  it('why: OpenSSL alone accepts the identity key with an all-zero-S signature for any message', () => {
    const identity = fromHex(ED25519_TORSION_SUBGROUP[0]!);
    const spki = Buffer.from([...fromHex('302a300506032b6570032100'), ...identity]);
    const raw = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const forged = new Uint8Array([...identity, ...new Uint8Array(32)]);
    expect(opensslVerify(null, Buffer.from('anything'), raw, forged)).toBe(true);
    expect(ed25519.verify(forged, new TextEncoder().encode('anything'), identity, { zip215: false })).toBe(
      false,
    );
  });

  it('a key with a torsion component → MIXED_ORDER_KEY', () => {
    const A = ed25519.Point.fromBytes(KEYS.manufacturer.verifyingKey.bytes);
    const mixed = A.add(ed25519.Point.fromBytes(fromHex(ED25519_TORSION_SUBGROUP[1]!))).toBytes();
    expect(keyErrorCode(() => VerifyingKey.fromBytes(mixed))).toBe('MIXED_ORDER_KEY');
  });

  it('y >= p → NON_CANONICAL_KEY; not on the curve → NOT_ON_CURVE; wrong size → BAD_KEY_LENGTH', () => {
    const p = 2n ** 255n - 19n;
    expect(keyErrorCode(() => VerifyingKey.fromBytes(bigToLe(p + 1n)))).toBe('NON_CANONICAL_KEY');
    // x = 0 with the sign bit set: the "negative zero" encoding of the identity.
    expect(keyErrorCode(() => VerifyingKey.fromBytes(bigToLe(1n | (1n << 255n))))).toBe('NON_CANONICAL_KEY');
    expect(keyErrorCode(() => VerifyingKey.fromBytes(bigToLe(2n)))).toBe('NOT_ON_CURVE');
    expect(keyErrorCode(() => VerifyingKey.fromBytes(new Uint8Array(31)))).toBe('BAD_KEY_LENGTH');
    expect(keyErrorCode(() => SigningKey.fromSeed(new Uint8Array(64)))).toBe('BAD_KEY_LENGTH');
  });

  it('refuse objects that only look like keys', () => {
    const fake = { bytes: new Uint8Array(32), keyId: 'x' } as unknown as VerifyingKey;
    for (const [, ed] of IMPLEMENTATIONS)
      expect(() => ed.verify(fake, new Uint8Array(), new Uint8Array(64))).toThrow(TypeError);
  });
});

describe('key ids and key objects', () => {
  it('key id = lowercase hex of the first 8 bytes of SHA-256(raw public key)', () => {
    const pk = fromHex(rfc8032.vectors[0]!.publicKey);
    const expected = createHash('sha256').update(pk).digest('hex').slice(0, 16);
    expect(keyIdOf(pk)).toBe(expected);
    expect(VerifyingKey.fromBytes(pk).keyId).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{16}$/);
  });

  it('generate distinct keys whose signatures verify', () => {
    const a = SigningKey.generate();
    const b = SigningKey.generate();
    expect(a.keyId).not.toBe(b.keyId);
    const sig = nodeEd25519.sign(a, new Uint8Array([1]));
    expect(nobleEd25519.verify(a.verifyingKey, new Uint8Array([1]), sig)).toBe(true);
    expect(nobleEd25519.verify(b.verifyingKey, new Uint8Array([1]), sig)).toBe(false);
  });

  it('never show the secret in JSON, inspect or string form', async () => {
    const { inspect } = await import('node:util');
    const key = SigningKey.fromSeed(fromHex(rfc8032.vectors[0]!.secretKey));
    const seedHex = rfc8032.vectors[0]!.secretKey;
    const seedB64 = Buffer.from(seedHex, 'hex').toString('base64');
    for (const shown of [
      JSON.stringify(key),
      inspect(key, { showHidden: true, depth: 5 }),
      String(key),
      `${JSON.stringify({ key })}`,
    ]) {
      expect(shown).not.toContain(seedHex);
      expect(shown).not.toContain(seedB64.slice(0, 20));
      expect(shown).toContain(key.keyId);
    }
    expect(JSON.parse(JSON.stringify(key))).toEqual({
      keyId: key.keyId,
      publicKey: key.verifyingKey.toBase64(),
      secret: '[redacted]',
    });
    expect(toHex(key.exportSeed())).toBe(seedHex);
  });
});
