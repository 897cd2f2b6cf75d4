import { EVENT_ID_PATTERN } from '@rxledger/events';
import { describe, expect, it } from 'vitest';
import { newAlertEventId } from '../src/counter-verify.ts';

describe('the eventId a counter raise carries (the alert id a pharmacist quotes)', () => {
  it('is alert-XXXXX-XXXXX in Crockford base 32, a valid eventId', () => {
    expect(newAlertEventId(new Uint8Array([0, 1, 2, 8, 18, 21, 27, 31, 32, 255]))).toBe('alert-0128J-NVZ0Z');
    for (let i = 0; i < 200; i++) {
      const id = newAlertEventId();
      expect(id).toMatch(/^alert-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
      expect(id).toMatch(EVENT_ID_PATTERN);
    }
  });

  it('differs from scan to scan', () => {
    expect(new Set(Array.from({ length: 1000 }, () => newAlertEventId())).size).toBe(1000);
  });
});
