// Percent-encoding of AI values inside GS1 Digital Link URIs. In the query string "+" stands for a
// space (HTML form encoding); in the path it is a literal "+", so the two places differ.

import { checkLength, MAX_DIGITAL_LINK_LENGTH } from './bounds.ts';

/** Where in a Digital Link URI a value sits. */
export type UriPart = 'path' | 'query';

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const ALL_UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const utf8 = new TextEncoder();

/**
 * Percent-encodes an AI value for a Digital Link path segment or query value: everything but the
 * RFC 3986 unreserved characters is escaped (upper-case hex), a space becomes "+" in a query.
 * @example percentEncode('A/B C', 'path') // 'A%2FB%20C'
 */
export function percentEncode(value: string, where: UriPart): string {
  checkLength('value to percent-encode', value, MAX_DIGITAL_LINK_LENGTH);
  // Most serials and lots need no escape at all; they are returned as they are.
  if (ALL_UNRESERVED.test(value)) return value;
  let out = '';
  for (const byte of utf8.encode(value)) {
    const c = String.fromCharCode(byte);
    if (UNRESERVED.test(c)) out += c;
    else if (c === ' ' && where === 'query') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Decodes %HH escapes (and "+" as space in a query); a malformed escape is kept literally, as GS1's
 * syntax engine does, so that the value check can report it instead of a decoding failure. At most
 * MAX_DIGITAL_LINK_LENGTH characters, like the URI it comes from.
 */
export function percentDecode(s: string, where: UriPart): string {
  checkLength('value to percent-decode', s, MAX_DIGITAL_LINK_LENGTH);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    const hex = s.slice(i + 1, i + 3);
    if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 2;
    } else {
      out += c === '+' && where === 'query' ? ' ' : c;
    }
  }
  return out;
}
