// The pure rules of alert delivery: the signed headers (against the Go-computed vector), where a
// webhook may point, and what a well-formed notice is.
import { readFileSync } from 'node:fs';
import { SigningKey } from '@rxledger/events';
import { ValidationError } from '@rxledger/runtime';
import { describe, expect, it } from 'vitest';
import type { AlertNotice } from '../../src/alerts/alert-notice.ts';
import { deliveryHeaders } from '../../src/alerts/delivery/delivery-headers.ts';
import { checkNotice, noticeBody, noticeKey } from '../../src/alerts/delivery/notice-body.ts';
import { addressRefusal, checkWebhookUrl } from '../../src/alerts/delivery/webhook-url.ts';

const vector = JSON.parse(
  readFileSync(
    new URL('../../../../shared/verifier/test/vectors/alert-delivery.json', import.meta.url),
    'utf8',
  ),
) as {
  seedHex: string;
  id: string;
  timestamp: number;
  body: string;
  secret: string;
  signatureHeader: string;
};

describe('deliveryHeaders', () => {
  it('signs the vector exactly as Go does, with the HMAC when there is a secret', () => {
    const key = SigningKey.fromSeed(Uint8Array.from(Buffer.from(vector.seedHex, 'hex')));
    const h = deliveryHeaders(
      key,
      { id: vector.id, body: vector.body, secret: vector.secret },
      vector.timestamp * 1000 + 999,
    );
    expect(h).toEqual({
      'webhook-id': vector.id,
      'webhook-timestamp': String(vector.timestamp),
      'webhook-signature': vector.signatureHeader,
    });
    const plain = deliveryHeaders(
      key,
      { id: vector.id, body: vector.body, secret: null },
      vector.timestamp * 1000,
    );
    expect(plain['webhook-signature']).toBe(vector.signatureHeader.split(' ')[0]);
  });
});

describe('checkWebhookUrl', () => {
  const reasonOf = (url: unknown, policy = {}) => {
    try {
      checkWebhookUrl(url, policy);
      return 'accepted';
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      const issue = (err as ValidationError).issues[0]!;
      expect(issue.field).toBe('url');
      return issue.reason;
    }
  };

  it.each([
    [undefined, /required/],
    ['', /required/],
    [`https://partner.example/${'a'.repeat(2048)}`, /longer than 2048/],
    ['partner.example/hook', /not an absolute URL/],
    ['ftp://partner.example/hook', /http or https/],
    ['file:///etc/passwd', /http or https/],
    ['https://user:pw@partner.example/hook', /credentials/],
    ['https://partner.example/hook#x', /fragment/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://[fd00:ec2::254]/', /link-local, reserved|loopback or private/],
    ['http://[fe80::1]/', /link-local/],
    ['http://0.0.0.0:8080/', /unspecified/],
    ['http://[::ffff:127.0.0.1]/', /loopback or private/],
    ['http://[::ffff:169.254.169.254]/', /link-local/],
    ['http://[64:ff9b::a9fe:a9fe]/', /link-local, reserved/],
    ['http://127.0.0.1:9000/hook', /loopback or private/],
    ['http://2130706433/hook', /loopback or private/],
    ['http://10.1.2.3/hook', /loopback or private/],
    ['http://192.168.1.1/hook', /loopback or private/],
    ['http://[::1]/hook', /loopback or private/],
    ['http://localhost:9000/hook', /this machine/],
  ])('refuses %s on field url', (url, reason) => {
    expect(reasonOf(url)).toMatch(reason);
  });

  it('accepts public http and https URLs', () => {
    expect(reasonOf('https://partner.example/rxledger/hook?tenant=7')).toBe('accepted');
    expect(reasonOf('http://203.0.113.7:8080/hook')).toBe('accepted');
  });

  it('lets private networks through only when configured, link-local never', () => {
    const open = { allowPrivateNetworks: true };
    expect(reasonOf('http://127.0.0.1:9000/hook', open)).toBe('accepted');
    expect(reasonOf('http://localhost:9000/hook', open)).toBe('accepted');
    expect(reasonOf('http://169.254.169.254/', open)).toMatch(/link-local/);
    expect(addressRefusal('::ffff:169.254.169.254', open)).toMatch(/link-local/);
  });

  it('takes only allowlisted hosts when there is an allowlist, and trusts them', () => {
    const policy = { allowHosts: ['hooks.partner.example', '10.0.0.5'] };
    expect(reasonOf('https://hooks.partner.example/a', policy)).toBe('accepted');
    expect(reasonOf('http://10.0.0.5/a', policy)).toBe('accepted');
    expect(reasonOf('https://other.example/a', policy)).toMatch(/not in the allowlist/);
  });
});

describe('checkNotice', () => {
  const good: AlertNotice = {
    kind: 'alert.raised',
    alertId: '5009999000003:alert-0001',
    seq: 42,
    audience: ['4012345000009'],
    alert: { code: 'UNKNOWN_SERIAL' },
  };

  it('keys and frames a good notice', () => {
    expect(() => checkNotice(good)).not.toThrow();
    expect(noticeKey(good)).toBe('alert.raised:5009999000003:alert-0001:42');
    expect(JSON.parse(noticeBody(good, Date.UTC(2025, 11, 3)))).toEqual({
      type: 'alert.raised',
      timestamp: '2025-12-03T00:00:00.000Z',
      data: { alertId: '5009999000003:alert-0001', seq: 42, alert: { code: 'UNKNOWN_SERIAL' } },
    });
  });

  it.each([
    [{ kind: 'alert.deleted' }, /kind: must be one of/],
    [{ alertId: 'AL 1' }, /alertId/],
    [{ alertId: '' }, /alertId/],
    [{ seq: -1 }, /seq/],
    [{ seq: 1.5 }, /seq/],
    [{ audience: ['123'] }, /audience/],
    [{ audience: 'x' }, /audience/],
    [{ alert: [] }, /alert: a JSON object/],
    [{ alert: null }, /alert: a JSON object/],
  ])('refuses %o naming the field', (change, reason) => {
    expect(() => checkNotice({ ...good, ...change } as AlertNotice)).toThrow(reason);
  });

  it('bounds the body', () => {
    expect(() => noticeBody({ ...good, alert: { note: 'x'.repeat(70_000) } }, 0)).toThrow(/over 65536 bytes/);
  });
});
