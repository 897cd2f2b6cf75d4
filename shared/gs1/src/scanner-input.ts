import { GS } from './element-string.ts';
import { SYMBOLOGIES } from './symbology.ts';

/**
 * What keyboard-wedge scanners are commonly set up to type for the group separator (FNC1) when the
 * receiving field cannot take ASCII 29: `<GS>` and `{GS}` (scanner configuration tools' names) and
 * `^]` (caret notation of Ctrl+], the key chord a wedge sends for ASCII 29). None of `{ } ^ ]` is in
 * GS1 character set 82, so those cannot be data; `<GS>` could in principle be four serial characters,
 * but no real scanner configuration leaves that reading open, and a separator is what it always means.
 */
const GS_STAND_INS = /<GS>|\{GS\}|\^\]/gi;

/**
 * What a person or a keyboard-wedge scanner typed into a scan field, in the form the GS1 parsers
 * read: surrounding whitespace and the scanner's CR/LF gone, visible stand-ins for the group
 * separator (`<GS>`, `{GS}`, `^]`) turned into ASCII 29, and a symbology identifier announcing GS1
 * data (`]d2`, `]Q3`, `]C1`, `]e0`, `]J1`) or a Digital Link in a plain mode (`]d1`, `]Q1`, `]J0`)
 * dropped, with a leading FNC1 after it. Pure and total: it never rejects, so the parser that reads
 * the result gives the one explanation of what is wrong with a bad scan.
 * @example normalizeScannerInput(']d2010952012345678810ABC<GS>21XYZ\r\n') // '010952012345678810ABC\x1d21XYZ'
 */
export function normalizeScannerInput(typed: string): string {
  let s = typed.trim().replace(GS_STAND_INS, GS);
  const symbology = SYMBOLOGIES[s.slice(0, 3)];
  const rest = s.slice(3);
  if (symbology?.kind === 'gs1' && rest !== '') s = rest;
  else if (symbology?.kind === 'plain' && /^https?:\/\//i.test(rest)) s = rest;
  return s.startsWith(GS) ? s.slice(1) : s;
}
