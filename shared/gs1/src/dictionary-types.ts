// Shapes of the data generated from GS1's Barcode Syntax Dictionary (see dictionary.generated.ts).

/** N: digits; X: GS1 character set 82; Y: character set 39; Z: character set 64 (base64url). */
export type Cset = 'N' | 'X' | 'Y' | 'Z';

/** One component of an AI's data field, e.g. `N13,csum,gcppos1` or `[X..17]`. */
export interface AiComponent {
  cset: Cset;
  min: number;
  max: number;
  optional: boolean;
  /** Names of the dictionary's content linters, applied in order. */
  linters: string[];
}

/** One dictionary line; `from`..`to` is a single AI or a range such as 3100-3105. */
export interface AiEntry {
  from: string;
  to: string;
  /** Whether a following AI must be separated by FNC1 (no `*` flag: not of predefined length). */
  fnc1: boolean;
  /** Whether the AI may be a GS1 Digital Link query-string data attribute (`?` flag). */
  dlAttr: boolean;
  components: AiComponent[];
  /** Each `req=` attribute: alternatives, each a list of AIs or patterns (`31nn`) that must all be present. */
  req: string[][][];
  /** AIs or patterns that must not occur together with this AI. */
  ex: string[];
  /** Null unless a Digital Link primary key; then its alternative qualifier sequences (`[[]]` = none). */
  dlpkey: string[][] | null;
  title: string;
}
