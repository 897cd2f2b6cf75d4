// verifyAlertDelivery against a vector computed by Go's crypto/ed25519 and crypto/hmac, and against
// every way a delivery can be wrong.
import { readFileSync } from 'node:fs';
import { fromBase64, nobleEd25519, SigningKey, toBase64 } from '@rxledger/events';
import { formatVerifierKey } from '@rxledger/tlog';
import { describe, expect, it } from 'vitest';
import { alertDeliveryHmac, alertDeliverySignedContent, verifyAlertDelivery } from '../src/index.ts';

const v = JSON.parse(readFileSync(new URL('./vectors/alert-delivery.json', import.meta.url), 'utf8')) as {
  seedHex: string;
  publicKey: string;
  id: string;
  timestamp: number;
  body: string;
  secret: string;
  signatureHeader: string;
};
const now = new Date(v.timestamp * 1000 + 30_000);
const headers = (over: Record<string, string | undefined> = {}) => ({
  'webhook-id': v.id,
  'webhook-timestamp': String(v.timestamp),
  'webhook-signature': v.signatureHeader,
  ...over,
});

describe('verifyAlertDelivery', () => {
  it('accepts the vector with the raw key in base64, as bytes, and as a C2SP vkey', () => {
    const raw = fromBase64(v.publicKey);
    const vkey = formatVerifierKey('ledger.example/custody', raw);
    for (const key of [v.publicKey, raw, vkey]) {
      const check = verifyAlertDelivery(headers(), v.body, key, { now });
      expect(check).toMatchObject({ valid: true, id: v.id, timestamp: v.timestamp });
    }
    const check = verifyAlertDelivery(headers(), new TextEncoder().encode(v.body), v.publicKey, { now });
    expect(check.valid && (check.body as { data: { seq: number } }).data.seq).toBe(42);
  });

  it('accepts fetch Headers and finds the v1a signature wherever it stands', () => {
    const [ed, mac] = v.signatureHeader.split(' ');
    const h = new Headers(headers({ 'webhook-signature': `${mac} ${ed}` }));
    expect(verifyAlertDelivery(h, v.body, v.publicKey, { now }).valid).toBe(true);
  });

  it('computes the vector HMAC for the whsec_ secret', () => {
    const content = alertDeliverySignedContent(v.id, v.timestamp, v.body);
    expect(alertDeliveryHmac(v.secret, content)).toBe(v.signatureHeader.split(' ')[1]);
  });

  it.each([
    ['a changed body', headers(), v.body.replace('42', '43'), /no v1a signature/],
    ['another id', headers({ 'webhook-id': 'alert.raised:AL-0002:42' }), v.body, /no v1a signature/],
    [
      'another timestamp',
      headers({ 'webhook-timestamp': String(v.timestamp + 1) }),
      v.body,
      /no v1a signature/,
    ],
    ['only the HMAC', headers({ 'webhook-signature': v.signatureHeader.split(' ')[1] }), v.body, /no v1a/],
    ['a signature that is not base64', headers({ 'webhook-signature': 'v1a,!!!' }), v.body, /no v1a/],
    ['no id', headers({ 'webhook-id': undefined }), v.body, /^webhook-id: missing/],
    ['an id with a space', headers({ 'webhook-id': 'a b' }), v.body, /^webhook-id: missing or malformed/],
    ['no timestamp', headers({ 'webhook-timestamp': undefined }), v.body, /^webhook-timestamp: missing/],
    ['a timestamp in ms', headers({ 'webhook-timestamp': '1764720000000x' }), v.body, /^webhook-timestamp/],
    ['no signature', headers({ 'webhook-signature': undefined }), v.body, /^webhook-signature: missing/],
  ])('refuses %s, naming the header', (_what, h, body, reason) => {
    const check = verifyAlertDelivery(h, body, v.publicKey, { now });
    expect(check.valid).toBe(false);
    expect(!check.valid && check.reason).toMatch(reason);
  });

  it('refuses a signature by another key', () => {
    const other = SigningKey.generate().verifyingKey.toBase64();
    expect(verifyAlertDelivery(headers(), v.body, other, { now }).valid).toBe(false);
  });

  it('refuses a replay outside the tolerance, and takes a wider one when asked', () => {
    const later = new Date((v.timestamp + 301) * 1000);
    const check = verifyAlertDelivery(headers(), v.body, v.publicKey, { now: later });
    expect(!check.valid && check.reason).toMatch(/more than 300 s from now/);
    expect(
      verifyAlertDelivery(headers(), v.body, v.publicKey, { now: later, toleranceSeconds: 600 }).valid,
    ).toBe(true);
  });

  it('refuses a signed body that is not JSON', () => {
    const key = SigningKey.fromSeed(Uint8Array.from(Buffer.from(v.seedHex, 'hex')));
    const content = alertDeliverySignedContent(v.id, v.timestamp, 'not json');
    const sig = `v1a,${toBase64(nobleEd25519.sign(key, content))}`;
    const check = verifyAlertDelivery(headers({ 'webhook-signature': sig }), 'not json', v.publicKey, {
      now,
    });
    expect(!check.valid && check.reason).toBe('body: signed but not JSON');
  });
});
