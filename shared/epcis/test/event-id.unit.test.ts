import { describe, expect, it } from 'vitest';
import { custodyEventIdOf, epcisEventIdOf } from '../src/index.ts';

describe('EPCIS eventID ↔ rxledger eventId', () => {
  const hashId = `ni:///sha-256;${'0a'.repeat(32)}?ver=CBV2.0`;

  it('keeps a urn:uuid eventID as it is', () => {
    const id = 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    expect(custodyEventIdOf(id)).toBe(id);
    expect(epcisEventIdOf(id)).toBe(id);
  });

  it('maps a CBV 2.0 hash ID into the eventId alphabet and back', () => {
    const key = custodyEventIdOf(hashId);
    expect(key).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(epcisEventIdOf(key!)).toBe(hashId);
  });

  it('refuses an eventID it could only keep by altering it', () => {
    expect(custodyEventIdOf('https://example.com/events/1')).toBeUndefined();
    expect(custodyEventIdOf(hashId.toUpperCase())).toBeUndefined();
    expect(custodyEventIdOf('x'.repeat(129))).toBeUndefined();
  });
});
