// EPC pure-identity URNs per the GS1 EPC Tag Data Standard (TDS 2.x): the company prefix is
// written apart from the rest of the key and the check digit is left out, so converting to GS1 keys
// means moving the indicator/extension digit to the front and computing the check digit.

import { checkLength, MAX_EPC_URN_LENGTH } from './bounds.ts';
import { CSET82 } from './charset.ts';
import { checkDigit } from './checkdigit.ts';
import { Gs1Error, showChar } from './errors.ts';
import { type ItemId, sgtinItem, ssccItem } from './item-uri.ts';

/** An SGLN: a GLN and its extension ('' when the URN says 0, TDS's "no extension"). */
export interface SglnId {
  kind: 'sgln';
  gln: string;
  extension: string;
}

/** A PGLN: a party's GLN (TDS 2.x `urn:epc:id:pgln:`; EPCIS 2.0 names parties in source and destination lists with it). */
export interface PglnId {
  kind: 'pgln';
  gln: string;
}

// TDS 2.x partition tables allow GS1 Company Prefixes of 6 to 12 digits.
const GCP = /^[0-9]{6,12}$/;
// Characters a URN component may carry literally; the rest of CSET 82 (" % & / < > ?) is %-escaped.
const URN_LITERAL = /^[A-Za-z0-9\-_.!'()*+,:;=]$/;

const EPC_ID = 'urn:epc:id:';

const urnError = (urn: string, message: string) => new Gs1Error('BAD_URI', `EPC URN ${urn}: ${message}`);

function decodeComponent(urn: string, what: string, s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      const decoded = /^[0-9A-Fa-f]{2}$/.test(hex) ? String.fromCharCode(Number.parseInt(hex, 16)) : '';
      if (decoded === '' || !CSET82.includes(decoded)) {
        throw urnError(urn, `${what} has an invalid escape "%${hex}" at position ${i + 1}`);
      }
      out += decoded;
      i += 2;
    } else if (URN_LITERAL.test(c)) {
      out += c;
    } else {
      throw urnError(
        urn,
        `${what} character ${showChar(c)} at position ${i + 1} must be percent-encoded or is not allowed`,
      );
    }
  }
  return out;
}

/** The company prefix and the reference that completes it to `total` digits, both checked. */
function prefixAndRef(urn: string, parts: string[], what: string, total: number): [string, string] {
  const [cp = '', ref = ''] = parts;
  if (!GCP.test(cp)) throw urnError(urn, `company prefix "${cp}" must be 6 to 12 digits`);
  if (!/^[0-9]*$/.test(ref) || cp.length + ref.length !== total) {
    throw urnError(
      urn,
      `${what} "${ref}" must be ${total - cp.length} digits after a ${cp.length}-digit company prefix`,
    );
  }
  return [cp, ref];
}

/**
 * Parses `urn:epc:id:sgtin:CompanyPrefix.IndicatorItemRef.Serial`, `urn:epc:id:sscc:CompanyPrefix.SerialRef`
 * `urn:epc:id:sgln:CompanyPrefix.LocationRef.Extension` or `urn:epc:id:pgln:CompanyPrefix.PartyRef` into GS1 keys. At most MAX_EPC_URN_LENGTH characters.
 * @example parseEpcUrn('urn:epc:id:sgtin:0614141.812345.6789') // { kind: 'sgtin', gtin: '80614141123458', serial: '6789', uri: ... }
 */
export function parseEpcUrn(urn: string): ItemId | SglnId | PglnId {
  checkLength('EPC URN', urn, MAX_EPC_URN_LENGTH);
  const colon = urn.indexOf(':', EPC_ID.length);
  if (urn.slice(0, EPC_ID.length).toLowerCase() !== EPC_ID || colon < 0) {
    throw urnError(
      urn,
      'must start with urn:epc:id:sgtin:, urn:epc:id:sscc:, urn:epc:id:sgln: or urn:epc:id:pgln:',
    );
  }
  const scheme = urn.slice(EPC_ID.length, colon).toLowerCase();
  const fields = urn.slice(colon + 1).split('.');
  // TDS: `2*(PaddedNumericComponent ".") GS3A3Component`: the last part (serial, extension) may hold
  // dots of its own, the numeric parts before it cannot.
  const expectParts = (n: number, lastMayHoldDots: boolean): string[] => {
    if (fields.length < n || (fields.length > n && !lastMayHoldDots))
      throw urnError(
        urn,
        `expected ${n} dot-separated parts after urn:epc:id:${scheme}:, got ${fields.length}`,
      );
    return [...fields.slice(0, n - 1), fields.slice(n - 1).join('.')];
  };

  switch (scheme) {
    case 'sgtin': {
      const parts = expectParts(3, true);
      const [cp, ref] = prefixAndRef(urn, parts, 'indicator and item reference', 13);
      // The indicator digit leads the URN's item reference but the GTIN-14.
      const body = ref.slice(0, 1) + cp + ref.slice(1);
      return sgtinItem(body + checkDigit(body), decodeComponent(urn, 'serial', parts[2] ?? ''));
    }
    case 'sscc': {
      const parts = expectParts(2, false);
      const [cp, ref] = prefixAndRef(urn, parts, 'serial reference', 17);
      // Likewise the extension digit leads the serial reference but the SSCC.
      const body = ref.slice(0, 1) + cp + ref.slice(1);
      return ssccItem(body + checkDigit(body));
    }
    case 'sgln': {
      const parts = expectParts(3, true);
      const [cp, ref] = prefixAndRef(urn, parts, 'location reference', 12);
      const extension = decodeComponent(urn, 'extension', parts[2] ?? '');
      if (extension === '') throw urnError(urn, 'extension is empty (use 0 for none)');
      if (extension.length > 20)
        throw urnError(urn, `extension is ${extension.length} characters, more than 20`);
      return {
        kind: 'sgln',
        gln: cp + ref + checkDigit(cp + ref),
        extension: extension === '0' ? '' : extension,
      };
    }
    case 'pgln': {
      const [cp, ref] = prefixAndRef(urn, expectParts(2, false), 'party reference', 12);
      return { kind: 'pgln', gln: cp + ref + checkDigit(cp + ref) };
    }
    default:
      throw urnError(urn, `scheme "${scheme}" is not sgtin, sscc, sgln or pgln`);
  }
}
