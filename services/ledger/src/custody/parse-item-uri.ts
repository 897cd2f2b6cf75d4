import { percentDecode } from '@rxledger/gs1';

/** What kind of thing an item URI names, and its GS1 keys. */
export interface ParsedItemUri {
  kind: 'pack' | 'container';
  gtin?: string;
  serial?: string;
  sscc?: string;
}

const SGTIN = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/21\/([^/?#]+)$/;
const SSCC = /^https:\/\/id\.gs1\.org\/00\/(\d{18})$/;

/**
 * Splits a canonical item URI (DESIGN §2). Events reaching the fold were validated upstream, so anything
 * else is kept as a pack without keys rather than thrown on: the fold must not crash on evidence.
 * @example parseItemUri('https://id.gs1.org/00/040123450000000016') // { kind: 'container', sscc: '040123450000000016' }
 */
export function parseItemUri(uri: string): ParsedItemUri {
  const sscc = SSCC.exec(uri);
  if (sscc?.[1] !== undefined) return { kind: 'container', sscc: sscc[1] };
  const sgtin = SGTIN.exec(uri);
  if (sgtin?.[1] !== undefined && sgtin[2] !== undefined) {
    return { kind: 'pack', gtin: sgtin[1], serial: percentDecode(sgtin[2], 'path') };
  }
  return { kind: 'pack' };
}
