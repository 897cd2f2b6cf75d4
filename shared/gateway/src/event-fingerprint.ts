import { createHash } from 'node:crypto';
import type { CustodyEvent } from '@rxledger/events';

/**
 * What identifies an event's content for idempotency: SHA-256 over the normalized event, with the
 * time left out when the scanner sent none. A re-post without eventTime is then the same event (the
 * service filled "now" the first time) and reuses the first signing; a different time is a conflict.
 * Identifiers are compared normalized, so a URN and a Digital Link of one pack are the same content.
 */
export function eventFingerprint(event: CustodyEvent, timeGiven: boolean): string {
  const content = timeGiven ? event : { ...event, eventTime: null, eventTimeOffsetMinutes: null };
  // Key order is fixed by validateCustodyEvent, and fingerprints never leave this process.
  return createHash('sha256').update(JSON.stringify(content)).digest('base64');
}
