/** How the data after a symbology identifier is to be read. */
export type SymbologyKind = 'gs1' | 'plain' | 'ean';

/**
 * The ISO/IEC 15424 symbology identifiers a scanner may prefix to GS1 data: GS1 modes carry element
 * strings (FNC1 in first position implied), plain modes may carry a Digital Link URI, EAN/UPC a GTIN.
 */
export const SYMBOLOGIES: Readonly<Record<string, { name: string; kind: SymbologyKind }>> = {
  ']C1': { name: 'GS1_128_CCA', kind: 'gs1' },
  ']e0': { name: 'DataBarExpanded', kind: 'gs1' },
  ']d2': { name: 'DM', kind: 'gs1' },
  ']Q3': { name: 'QR', kind: 'gs1' },
  ']J1': { name: 'DotCode', kind: 'gs1' },
  ']d1': { name: 'DM', kind: 'plain' },
  ']Q1': { name: 'QR', kind: 'plain' },
  ']J0': { name: 'DotCode', kind: 'plain' },
  ']E0': { name: 'EAN13', kind: 'ean' },
  ']E4': { name: 'EAN8', kind: 'ean' },
};
