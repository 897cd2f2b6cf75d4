// Turns GS1's Barcode Syntax Dictionary (and the convenience alphas of the Digital Link ABNF) into
// the plain data that src/dictionary.generated.ts holds. Used by gen-dictionary.ts to write that file
// and by the unit test that checks it is still up to date with the corpus.

import type { AiComponent, AiEntry, Cset } from '../src/dictionary-types.ts';

const FLAG_CHARS = `*!?"$%&'()+,-./:;<=>@[\\]^_\`{|}~`;

/** The release line of the dictionary header, e.g. `2026-01-27`. */
export function dictionaryRelease(text: string): string {
  const m = /^#\s*Release:\s*(\S+)/m.exec(text);
  if (!m?.[1]) throw new Error('gs1-syntax-dictionary.txt: no "# Release:" line in the header');
  return m[1];
}

/** Parses every entry line of the syntax dictionary, in file order. */
export function parseDictionary(text: string): AiEntry[] {
  const entries: AiEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      entries.push(parseEntry(line));
    } catch (err) {
      throw new Error(`gs1-syntax-dictionary.txt line ${index + 1}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  });
  return entries;
}

function parseEntry(line: string): AiEntry {
  const hash = line.indexOf('#');
  const title = hash >= 0 ? line.slice(hash + 1).trim() : '';
  const tokens = (hash >= 0 ? line.slice(0, hash) : line).trim().split(/\s+/);
  const range = tokens.shift() ?? '';
  const rm = /^(\d{2,4})(?:-(\d{2,4}))?$/.exec(range);
  if (!rm?.[1]) throw new Error(`bad AI or AI range '${range}'`);
  const from = rm[1];
  const to = rm[2] ?? from;
  if (to.length !== from.length || to < from) throw new Error(`bad AI range '${range}'`);

  let flags = '';
  const first = tokens[0] ?? '';
  if (first !== '' && [...first].every((c) => FLAG_CHARS.includes(c))) flags = tokens.shift() ?? '';

  const components: AiComponent[] = [];
  while (tokens.length > 0 && /^\[?[NXYZ]/.test(tokens[0] ?? ''))
    components.push(parseComponent(tokens.shift() ?? ''));
  if (components.length === 0) throw new Error('no format specification');

  const req: string[][][] = [];
  const ex: string[] = [];
  let dlpkey: string[][] | null = null;
  for (const token of tokens) {
    const [key, value] = token.split('=', 2) as [string, string | undefined];
    if (key === 'req' && value) req.push(value.split(',').map((alt) => alt.split('+')));
    else if (key === 'ex' && value) ex.push(...value.split(','));
    else if (key === 'dlpkey') dlpkey = value ? value.split('|').map((seq) => seq.split(',')) : [[]];
    else throw new Error(`unknown attribute '${token}'`);
  }
  return {
    from,
    to,
    fnc1: !flags.includes('*'),
    dlAttr: flags.includes('?'),
    components,
    req,
    ex,
    dlpkey,
    title,
  };
}

function parseComponent(token: string): AiComponent {
  // "[N3],iso3166": the brackets mark the component optional, linters follow the closing bracket.
  const m = /^(\[)?([NXYZ])(\d+|\.\.\d+)(\])?((?:,[a-z0-9]+)*)$/.exec(token);
  if (!m || Boolean(m[1]) !== Boolean(m[4])) throw new Error(`bad component '${token}'`);
  const len = m[3] ?? '';
  const variable = len.startsWith('..');
  const n = Number(variable ? len.slice(2) : len);
  return {
    cset: m[2] as Cset,
    min: variable ? 1 : n,
    max: n,
    optional: Boolean(m[1]),
    linters: (m[5] ?? '').split(',').filter((l) => l !== ''),
  };
}

/** The Digital Link convenience alpha keys (`gtin` for 01, ...) from the DL ABNF grammar. */
export function parseConvenienceAlphas(abnf: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of abnf.matchAll(/^[\w-]+-code\s*=\s*"(\d+)"\s*\/\s*%s"([a-z]+)"/gm)) {
    if (m[1] && m[2]) out[m[2]] = m[1];
  }
  return out;
}
