// @rxledger/gs1: GS1 identifiers for rxledger (DESIGN.md §2). Pure functions; the AI rules come from
// GS1's Barcode Syntax Dictionary, compiled into dictionary.generated.ts.

export { type Gs1Options, MAX_AIS, validateAiValue } from './ai-value.ts';
export { validateAssociations } from './associations.ts';
export {
  MAX_CANONICAL_ITEM_LENGTH,
  MAX_DIGITAL_LINK_LENGTH,
  MAX_EPC_URN_LENGTH,
  MAX_SCAN_LENGTH,
} from './bounds.ts';
export { formatBracketed, parseBracketed } from './bracketed.ts';
export { CSET32, CSET39, CSET64, CSET82 } from './charset.ts';
export { checkDigit, isValidGln, isValidGtin, isValidSscc, normalizeGtin } from './checkdigit.ts';
export { DICTIONARY_RELEASE } from './dictionary.generated.ts';
export { type AiSpec, aiSpec } from './dictionary.ts';
export {
  CANONICAL_STEM,
  type DigitalLinkOptions,
  type DigitalLinkParts,
  formatDigitalLink,
  isValidDlPathSequence,
  parseDigitalLink,
  parseDigitalLinkParts,
  toDigitalLink,
} from './digital-link.ts';
export { type ElementStringOptions, formatElementString, GS, parseElementString } from './element-string.ts';
export { parseEpcUrn, type PglnId, type SglnId } from './epc-urn.ts';
export { Gs1Error, type Gs1ErrorCode } from './errors.ts';
export { fullYear, parseExpiry } from './expiry.ts';
export { parseGln } from './gln.ts';
export { parseItem, readCanonicalItem } from './item.ts';
export { type ItemId, sgtinUri, ssccUri } from './item-uri.ts';
export { percentDecode, percentEncode, type UriPart } from './percent.ts';
export { parseScan, type ScanData, scanAis } from './scan.ts';
export { type DecodedScan, decodeScanData } from './scan-data.ts';
export { normalizeScannerInput } from './scanner-input.ts';
export { validateLot, validateSerial } from './serial-lot.ts';
