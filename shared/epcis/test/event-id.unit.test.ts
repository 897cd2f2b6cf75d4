import { describe, expect, it } from 'vitest';
import { custodyEventIdOf, epcisEventIdOf } from '../src/index.ts';

describe('EPCIS eventID ↔ rxledger eventId', () => {
  const MAKER = '0614141000005';
  const OTHER = '4001234000008';
  const hashId = `ni:///sha-256;${'0a'.repeat(32)}?ver=CBV2.0`;

  it('keeps a urn:uuid eventID as it is', () => {
    const id = 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    expect(custodyEventIdOf(id, MAKER)).toBe(id);
    expect(epcisEventIdOf(id, MAKER)).toBe(id);
  });

  it('maps a CBV 2.0 hash ID into the eventId alphabet and back', () => {
    const key = custodyEventIdOf(hashId, MAKER);
    expect(key).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(epcisEventIdOf(key!, MAKER)).toBe(hashId);
  });

  it('exports an eventId that is no URI under its signer, and reads it back only for that signer', () => {
    // A bare UUID is what the partner services assign when the scanner gives none.
    for (const native of ['3f2b8c1e-9a4d-4e2f-8b6a-1c2d3e4f5a6b', 'batch-17.3']) {
      const exported = epcisEventIdOf(native, MAKER);
      expect(exported).toBe(`urn:rxledger:epcis:event:${MAKER}:${native}`);
      expect(custodyEventIdOf(exported, MAKER)).toBe(native);
      // Another party capturing it keeps the URN: eventIds are scoped to their signer.
      expect(custodyEventIdOf(exported, OTHER)).toBe(exported);
    }
  });

  it('refuses an eventID it could only keep by altering it', () => {
    expect(custodyEventIdOf('https://example.com/events/1', MAKER)).toBeUndefined();
    expect(custodyEventIdOf(hashId.toUpperCase(), MAKER)).toBeUndefined();
    expect(custodyEventIdOf('x'.repeat(129), MAKER)).toBeUndefined();
    expect(custodyEventIdOf(`urn:rxledger:epcis:event:${MAKER}:`, MAKER)).toBeUndefined();
  });
});
