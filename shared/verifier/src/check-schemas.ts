import { crc64Avro, fingerprintHex, parsingCanonicalForm, rxledgerSchemas } from '@rxledger/events/portable';
import { utf8 } from '@rxledger/tlog';
import type { BundleCheck } from './bundle-report.ts';

/**
 * One check per schema the bundle carries: its key must be the CRC-64-AVRO of the schema's Parsing
 * Canonical Form. CRC-64 is no cryptographic hash (collisions are easy to make), so a schema whose
 * fingerprint this verifier knows must also have exactly the verifier's canonical form.
 */
export function checkSchemas(schemas: ReadonlyMap<string, unknown>): BundleCheck[] {
  const known = new Map(rxledgerSchemas.list().map((s) => [s.fingerprint, s]));
  return [...schemas].map(([fp, schema]): BundleCheck => {
    const what = 'schema fingerprint';
    let canonical: string;
    let actual: string;
    try {
      canonical = parsingCanonicalForm(schema);
      actual = fingerprintHex(crc64Avro(utf8(canonical)));
    } catch (err) {
      return { ok: false, what, detail: `${fp}: not an Avro schema (${(err as Error).message})` };
    }
    if (actual !== fp) {
      return { ok: false, what, detail: `${fp}: the schema's canonical form has fingerprint ${actual}` };
    }
    const mine = known.get(fp);
    if (mine === undefined) {
      return { ok: true, what, detail: `${fp} matches its schema, which this verifier does not know` };
    }
    if (mine.canonicalForm !== canonical) {
      return {
        ok: false,
        what,
        detail: `${fp}: same fingerprint as ${mine.name} but a different canonical form (a CRC-64 collision)`,
      };
    }
    return { ok: true, what, detail: `${fp} is ${mine.name}, identical to this verifier's` };
  });
}
