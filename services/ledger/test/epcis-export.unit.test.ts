// The pure parts of the EPCIS export: the page token and the route's OpenAPI entry (eventIDs are
// @rxledger/epcis's, tested with capture's reading of them in shared/epcis/test/event-id.unit.test.ts).
import { describe, expect, it } from 'vitest';
import { pageToken, queryDigest } from '../src/answers/epcis-page-token.ts';
import { ledgerOpenApi } from '../src/routes/openapi.ts';

describe('the EPCIS page token', () => {
  const digest = queryDigest({ bizSteps: ['shipping'] });

  it('round-trips a cursor for the same query, whatever the order of its filters', () => {
    const token = pageToken.encode({ size: 40, after: 17 }, digest);
    expect(pageToken.decode(token, digest)).toEqual({ size: 40, after: 17 });
    expect(queryDigest({ a: 1, b: [2] })).toBe(queryDigest({ b: [2], a: 1, c: undefined }));
  });

  it('refuses a token of another query, a cursor past its tree, and anything it did not write', () => {
    const token = pageToken.encode({ size: 40, after: 17 }, digest);
    expect(pageToken.decode(token, queryDigest({ bizSteps: ['receiving'] }))).toMatch(/other parameters/);
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    for (const bad of [
      b64(`1.40.40.${digest}`),
      b64(`1.40.017.${digest}`),
      b64(`2.40.1.${digest}`),
      b64(`1.40.1.${digest}.x`),
      'not a token!',
      '',
    ]) {
      expect(pageToken.decode(bad, digest), bad).toMatch(/not a token this ledger issued/);
    }
  });
});

describe('the OpenAPI document', () => {
  it('describes GET /v1/epcis/events with its EPCIS query parameters and media types', () => {
    const op = (ledgerOpenApi('1').paths as unknown as Record<string, { get: Record<string, unknown> }>)[
      '/v1/epcis/events'
    ]!.get;
    expect((op.parameters as Array<{ name: string }>).map((p) => p.name)).toEqual([
      'MATCH_anyEPC',
      'MATCH_parentID',
      'EQ_bizStep',
      'GE_eventTime',
      'LT_eventTime',
      'EQ_bizLocation',
      'perPage',
      'nextPageToken',
    ]);
    const responses = op.responses as Record<string, { content?: Record<string, unknown> }>;
    expect(Object.keys(responses[200]!.content!)).toEqual([
      'application/ld+json',
      'application/json',
      'application/xml',
    ]);
    expect(responses).toHaveProperty('406');
  });
});
