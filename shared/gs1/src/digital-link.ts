import { type Gs1Options, MAX_AIS, validateAiValue } from './ai-value.ts';
import { validateAssociations } from './associations.ts';
import { checkLength, MAX_DIGITAL_LINK_LENGTH } from './bounds.ts';
import { DL_CONVENIENCE_ALPHAS } from './dictionary.generated.ts';
import { aiSpec, isPlausibleAi, needsFnc1 } from './dictionary.ts';
import { Gs1Error, showChar } from './errors.ts';
import { percentDecode, percentEncode } from './percent.ts';

/** Where rxledger's canonical URIs live; any domain is accepted on input. */
export const CANONICAL_STEM = 'https://id.gs1.org';

/** Options of the Digital Link parser; defaults are GS1's (the GS1 syntax engine's). */
export interface DigitalLinkOptions extends Gs1Options {
  /** Accept GTIN-8/12/13 for (01) and pad them to GTIN-14 (the DL grammar allows them). Default false. */
  permitZeroSuppressedGtin?: boolean;
  /** Accept the deprecated alpha path keys of DL 1.x (`/gtin/`, `/ser/`, ...). Default false. */
  permitConvenienceAlphas?: boolean;
  /** With permitUnknownAIs, also accept unknown AIs as query attributes. Default false. */
  permitUnknownDlAttributes?: boolean;
}

/** A Digital Link URI taken apart: the stem before the key, the path AIs in order, the query AIs in order. */
export interface DigitalLinkParts {
  stem: string;
  path: Array<[string, string]>;
  query: Array<[string, string]>;
  /** Query parameters that are not AIs (e.g. `linkType=...`), kept for the caller, ignored by GS1. */
  ignoredQueryParams: string[];
}

const SCHEME = /^(?:http|HTTP|https|HTTPS):\/\//;
// RFC 3986 unreserved, gen-delims, sub-delims and "%": anything else cannot appear in a URI.
const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
const DOMAIN_CHARS = /^[A-Za-z0-9\-.:[\]]+$/;

const uriError = (message: string, ai?: string) =>
  new Gs1Error('BAD_URI', ai === undefined ? `Digital Link: ${message}` : `AI (${ai}): ${message}`, ai);

/** Whether `seq` (primary key first, then qualifiers) is an allowed Digital Link path for that key. */
export function isValidDlPathSequence(seq: readonly string[]): boolean {
  const [key, ...qualifiers] = seq;
  const alts = key === undefined ? null : aiSpec(key)?.dlpkey;
  if (!alts) return false;
  return alts.some((alt) => {
    let i = 0;
    for (const q of qualifiers) {
      i = alt.indexOf(q, i) + 1;
      if (i === 0) return false;
    }
    return true;
  });
}

function decodeValue(ai: string, raw: string, where: 'path' | 'query', options: DigitalLinkOptions): string {
  if (raw === '') throw uriError(`${where} value is empty`, ai);
  const value = percentDecode(raw, where);
  if (value.includes('\0')) throw uriError(`decoded ${where} value contains a NUL character`, ai);
  if (ai === '01' && options.permitZeroSuppressedGtin && /^([0-9]{8}|[0-9]{12,13})$/.test(value)) {
    return value.padStart(14, '0');
  }
  return value;
}

/**
 * Takes a GS1 Digital Link URI (any domain, http or https) apart into its stem, path key and
 * qualifiers, and query-string AI attributes, checking the DL rules (the rightmost primary key,
 * key-qualifier order, attributes that belong in the path, duplicates) and every AI value. At most
 * MAX_DIGITAL_LINK_LENGTH characters.
 */
export function parseDigitalLinkParts(uri: string, options: DigitalLinkOptions = {}): DigitalLinkParts {
  checkLength('Digital Link URI', uri, MAX_DIGITAL_LINK_LENGTH);
  const scheme = SCHEME.exec(uri)?.[0];
  if (!scheme) throw uriError('scheme must be http:// or https:// (all lower or all upper case)');
  if (!URI_CHARS.test(uri)) {
    const i = [...uri].findIndex((c) => !URI_CHARS.test(c));
    throw uriError(`character ${showChar(uri[i] ?? '')} at position ${i + 1} is not allowed in a URI`);
  }
  let rest = uri.slice(scheme.length);
  rest = rest.split('#', 1)[0] ?? '';
  const q = rest.indexOf('?');
  const queryString = q < 0 ? '' : rest.slice(q + 1);
  if (q >= 0) rest = rest.slice(0, q);
  const slash = rest.indexOf('/');
  if (slash <= 0) throw uriError('URI must contain a domain and a path');
  const domain = rest.slice(0, slash);
  if (!DOMAIN_CHARS.test(domain))
    throw uriError(`domain "${domain}" contains characters not allowed in a host name`);

  // The primary key is the rightmost one: walk back over /AI/value pairs while the segments are AIs.
  const segs = rest.slice(slash + 1).split('/');
  const aiOf = (seg: string) =>
    aiSpec(seg) ? seg : options.permitConvenienceAlphas ? DL_CONVENIENCE_ALPHAS[seg] : undefined;
  let keyAt = -1;
  for (let j = segs.length; j >= 2; j -= 2) {
    const ai = aiOf(segs[j - 2] ?? '');
    if (ai === undefined) break;
    if (aiSpec(ai)?.dlpkey) {
      keyAt = j - 2;
      break;
    }
  }
  if (keyAt < 0) throw uriError('no GS1 primary key (e.g. /01/{gtin} or /00/{sscc}) found in the path');

  const path: Array<[string, string]> = [];
  for (let j = keyAt; j < segs.length; j += 2) {
    const ai = aiOf(segs[j] ?? '') ?? '';
    path.push([ai, decodeValue(ai, segs[j + 1] ?? '', 'path', options)]);
  }
  const pathAis = path.map(([ai]) => ai);
  const [key = '', ...qualifiers] = pathAis;
  if (!isValidDlPathSequence(pathAis)) {
    const allowed = (aiSpec(key)?.dlpkey ?? []).map((alt) => alt.join(',') || 'none').join(' or ');
    throw uriError(
      `path /${pathAis.join('/../')}/.. is not a valid key-qualifier sequence for (${key}): allowed ${allowed}`,
    );
  }

  const query: Array<[string, string]> = [];
  const ignoredQueryParams: string[] = [];
  for (const param of queryString.split('&')) {
    if (param === '') continue;
    const eq = param.indexOf('=');
    const name = eq < 0 ? param : param.slice(0, eq);
    if (eq < 0 || !/^[0-9]+$/.test(name)) {
      ignoredQueryParams.push(param);
      continue;
    }
    const spec = aiSpec(name);
    if (!spec) {
      if (!options.permitUnknownAIs || !isPlausibleAi(name)) {
        throw new Gs1Error('UNKNOWN_AI', `Digital Link: unknown AI (${name}) in the query string`, name);
      }
      if (!options.permitUnknownDlAttributes)
        throw uriError('not a valid Digital Link data attribute (unknown AI)', name);
    } else {
      const belongsInPath = (aiSpec(key)?.dlpkey ?? []).some(
        (alt) => alt.includes(name) && qualifiers.every((x) => alt.includes(x)),
      );
      if (belongsInPath)
        throw uriError(`a key qualifier of (${key}) belongs in the path, not the query string`, name);
      if (!spec.dlAttr) throw uriError('not a valid Digital Link data attribute', name);
    }
    query.push([name, decodeValue(name, param.slice(eq + 1), 'query', options)]);
  }

  const all = [...path, ...query];
  if (all.length > MAX_AIS) throw new Gs1Error('TOO_MANY_AIS', `Digital Link: more than ${MAX_AIS} AIs`);
  const seen = new Set<string>();
  for (const [ai] of all) {
    if (seen.has(ai))
      throw new Gs1Error('DUPLICATE_AI', `Digital Link: AI (${ai}) appears more than once`, ai);
    seen.add(ai);
  }
  for (const [ai, value] of all) validateAiValue(ai, value, options);
  if (options.validateAssociations !== false) validateAssociations(all, options);
  const stem = `${scheme}${domain}${segs
    .slice(0, keyAt)
    .map((s) => `/${s}`)
    .join('')}`;
  return { stem, path, query, ignoredQueryParams };
}

/**
 * The (AI, value) pairs of a GS1 Digital Link URI: path key and qualifiers, then query attributes.
 * @example parseDigitalLink('https://example.com/01/09520123456788/21/A%2F1?17=261231')
 * // [['01','09520123456788'], ['21','A/1'], ['17','261231']]
 */
export function parseDigitalLink(uri: string, options: DigitalLinkOptions = {}): Array<[string, string]> {
  const { path, query } = parseDigitalLinkParts(uri, options);
  return [...path, ...query];
}

// A loop, not `/\/+$/`, which retries from every position of a run of slashes (quadratic).
function withoutTrailingSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '/') end--;
  return s.slice(0, end);
}

/** Writes Digital Link parts under `stem` (default https://id.gs1.org; a trailing "/" is dropped). */
export function formatDigitalLink(
  parts: Pick<DigitalLinkParts, 'path' | 'query'>,
  stem: string | null = CANONICAL_STEM,
): string {
  const base = withoutTrailingSlashes(stem ?? CANONICAL_STEM);
  const path = parts.path.map(([ai, v]) => `/${ai}/${percentEncode(v, 'path')}`).join('');
  const query = parts.query.map(([ai, v]) => `${ai}=${percentEncode(v, 'query')}`).join('&');
  return `${base}${path}${query ? `?${query}` : ''}`;
}

/**
 * The Digital Link URI for (AI, value) pairs: the first primary key AI with the qualifier sequence
 * that covers most of the present qualifiers, every other AI as a query attribute (predefined-length
 * AIs first, as GS1 orders them). Repeated AIs are written once.
 * @example toDigitalLink([['01','09520123456788'], ['17','261231'], ['21','A1']]) // 'https://id.gs1.org/01/09520123456788/21/A1?17=261231'
 */
export function toDigitalLink(
  ais: ReadonlyArray<readonly [string, string]>,
  options: { stem?: string | null; permitUnknownDlAttributes?: boolean } = {},
): string {
  const unique = new Map<string, string>();
  for (const [ai, value] of ais) if (!unique.has(ai)) unique.set(ai, value);
  const key = [...unique.keys()].find((ai) => aiSpec(ai)?.dlpkey);
  if (key === undefined) {
    throw new Gs1Error(
      'MISSING_AI',
      'Digital Link: cannot make a URI without a primary key AI such as (01) or (00)',
    );
  }
  let best: string[] = [];
  for (const alt of aiSpec(key)?.dlpkey ?? []) {
    const present = alt.filter((q) => unique.has(q));
    if (present.length > best.length) best = present;
  }
  const pathAis = [key, ...best];
  const rest = [...unique.keys()].filter((ai) => !pathAis.includes(ai));
  for (const ai of rest) {
    const spec = aiSpec(ai);
    if (spec ? !spec.dlAttr : !options.permitUnknownDlAttributes) {
      throw uriError('not a valid Digital Link data attribute', ai);
    }
  }
  const ordered = [...rest.filter((ai) => !needsFnc1(ai)), ...rest.filter((ai) => needsFnc1(ai))];
  const pair = (ai: string): [string, string] => [ai, unique.get(ai) ?? ''];
  return formatDigitalLink({ path: pathAis.map(pair), query: ordered.map(pair) }, options.stem);
}
