// CRC-64-AVRO, the Rabin fingerprint of the Avro specification ("Schema Fingerprints"). avsc 5.7 only
// offers MD5/SHA fingerprints, and single-object encoding needs this one.

const EMPTY = 0xc15d213aa4d7a795n;
const MASK = 0xffffffffffffffffn;

const TABLE: readonly bigint[] = (() => {
  const table: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let fp = BigInt(i);
    for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (EMPTY & (-(fp & 1n) & MASK));
    table.push(fp);
  }
  return table;
})();

/** CRC-64-AVRO of `bytes` as an unsigned 64-bit integer. */
export function crc64Avro(bytes: Uint8Array): bigint {
  let fp = EMPTY;
  for (const b of bytes) fp = (fp >> 8n) ^ (TABLE[Number((fp ^ BigInt(b)) & 0xffn)] as bigint);
  return fp;
}

/** The 8 little-endian bytes that single-object encoding writes for fingerprint `fp`. */
export function fingerprintBytes(fp: bigint): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = Number((fp >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** Fingerprint `fp` as 16 lowercase hex digits, most significant first (as Avro's docs print it). */
export function fingerprintHex(fp: bigint): string {
  return fp.toString(16).padStart(16, '0');
}
