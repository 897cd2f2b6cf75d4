import type { Cset } from './dictionary-types.ts';
import { showChar } from './errors.ts';

/** GS1 AI encodable character set 82, in the order that gives each character its value (GMN check pair). */
export const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
/** GS1 AI encodable character set 39 (CPID). */
export const CSET39 = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** GS1 AI encodable character set 64: URL- and file-safe base64 (padding handled separately). */
export const CSET64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The 32 characters used for GS1 alphanumeric check character pairs. */
export const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

const SETS: Record<Cset, { chars: string; name: string }> = {
  N: { chars: '0123456789', name: 'a digit' },
  X: { chars: CSET82, name: 'in GS1 character set 82' },
  Y: { chars: CSET39, name: 'in GS1 character set 39' },
  Z: { chars: CSET64, name: 'in GS1 character set 64' },
};

/** Index of the first character of `s` outside `chars`, or -1. */
export function firstOutside(s: string, chars: string): number {
  for (let i = 0; i < s.length; i++) if (!chars.includes(s[i] ?? '')) return i;
  return -1;
}

/**
 * Why `s` is not entirely in the given GS1 character set, e.g.
 * `character '|' at position 4 is not in GS1 character set 82`; null when it is.
 * `offset` shifts the reported 1-based position when `s` is part of a longer value.
 */
export function charsetProblem(s: string, cset: Cset, offset = 0): string | null {
  const set = SETS[cset];
  const bad = firstOutside(s, set.chars);
  if (bad < 0) return null;
  return `character ${showChar(s[bad] ?? '')} at position ${offset + bad + 1} is not ${set.name}`;
}
