// The longest input each public parser of @rxledger/gs1 reads. The length is checked before any
// other work, so a hostile input costs one comparison, and every later step runs over a bounded string.

import { Gs1Error } from './errors.ts';

/**
 * Most characters of anything a scanner or partner system sends (scan data, element string,
 * bracketed data, any item or GLN input). The largest symbol GS1 data is read from, a 144x144 Data
 * Matrix, holds at most 3,116 characters (digits; fewer of anything else), and a version 40 QR Code
 * 2,953 bytes in the byte mode a URI uses: 4,096 holds either with its symbology identifier and the
 * CR/LF of a keyboard-wedge scanner to spare. Nothing longer was read off a pack.
 */
export const MAX_SCAN_LENGTH = 4096;

/**
 * Most characters of a GS1 Digital Link URI (and of a value handed to percentEncode/percentDecode):
 * the byte capacity of the largest QR Code (version 40, error correction L), the biggest symbol a
 * Digital Link URI is printed in.
 */
export const MAX_DIGITAL_LINK_LENGTH = 2953;

/**
 * Most characters of an EPC pure-identity URN. The longest valid one, an SGTIN with 20 serial
 * characters all percent-escaped, has 92 (17 + 13 digits + 2 dots + 60); the margin lets a
 * slightly-too-long URN be told what is wrong with it rather than only that it is too long.
 */
export const MAX_EPC_URN_LENGTH = 128;

/**
 * Exact length of the longest canonical item URI: `https://id.gs1.org/01/` (22) + GTIN-14 +
 * `/21/` (4) + a 20-character serial with every character percent-escaped (60).
 */
export const MAX_CANONICAL_ITEM_LENGTH = 22 + 14 + 4 + 20 * 3;

/**
 * Throws TOO_LONG naming `what`, the length and the bound when `s` is longer than `max` characters
 * (BAD_SYNTAX when it is not a string at all: JavaScript callers and JSON bodies can pass anything).
 */
export function checkLength(what: string, s: string, max: number): void {
  if (typeof s !== 'string') {
    throw new Gs1Error('BAD_SYNTAX', `${what} must be a string, got ${s === null ? 'null' : typeof s}`);
  }
  if (s.length > max) {
    throw new Gs1Error('TOO_LONG', `${what} is ${s.length} characters long, more than the ${max} allowed`);
  }
}

/**
 * `s` without the CR and LF characters at its end, as keyboard-wedge scanners append them. A loop,
 * not `/[\r\n]+$/`: that regex retries from every position of a run of CRs, quadratic in its length.
 */
export function trimLineEnd(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === '\r' || s[end - 1] === '\n')) end--;
  return end === s.length ? s : s.slice(0, end);
}
