// Lookups over the AI table generated from GS1's Barcode Syntax Dictionary.

import { AI_ENTRIES } from './dictionary.generated.ts';
import type { AiComponent, AiEntry } from './dictionary-types.ts';

/** Everything the dictionary says about one AI. */
export interface AiSpec extends Omit<AiEntry, 'from' | 'to'> {
  ai: string;
}

const BY_AI = new Map<string, AiSpec>();
// The GS1 AI system is prefix-free and the first two digits fix an AI's length; unknown AIs rely on this.
const LENGTH_BY_PREFIX = new Map<string, number>();
// Prefixes whose every AI has predefined length L (no FNC1 needed): an unknown AI there is read the same way.
const PREDEFINED_BY_PREFIX = new Map<string, number | null>();

for (const entry of AI_ENTRIES) {
  const { from, to, ...rest } = entry;
  for (let n = Number(from); n <= Number(to); n++) {
    const ai = String(n).padStart(from.length, '0');
    const spec: AiSpec = { ai, ...rest };
    BY_AI.set(ai, spec);
    const prefix = ai.slice(0, 2);
    LENGTH_BY_PREFIX.set(prefix, ai.length);
    const fixed = spec.fnc1 ? null : fixedLength(spec);
    const seen = PREDEFINED_BY_PREFIX.get(prefix);
    PREDEFINED_BY_PREFIX.set(prefix, seen === undefined || seen === fixed ? fixed : null);
  }
}

/** The dictionary entry of `ai`, or undefined if GS1 has not defined it. */
export function aiSpec(ai: string): AiSpec | undefined {
  return BY_AI.get(ai);
}

/** All AIs the dictionary defines, ranges expanded. */
export function allAis(): string[] {
  return [...BY_AI.keys()];
}

/** Length of the data when every component is mandatory and fixed, else null. */
export function fixedLength(spec: { components: AiComponent[] }): number | null {
  let n = 0;
  for (const c of spec.components) {
    if (c.optional || c.min !== c.max) return null;
    n += c.min;
  }
  return n;
}

/** The length of the AIs that start with these two digits, if any AI does. */
export function aiLengthForPrefix(prefix: string): number | undefined {
  return LENGTH_BY_PREFIX.get(prefix);
}

/**
 * Whether `ai` is shaped like an AI: known, or (for unknown ones) digits whose length agrees with the
 * AIs that share its first two digits (any 2 to 4 digits when no known AI does).
 */
export function isPlausibleAi(ai: string): boolean {
  if (BY_AI.has(ai)) return true;
  if (!/^[0-9]{2,4}$/.test(ai)) return false;
  const len = LENGTH_BY_PREFIX.get(ai.slice(0, 2));
  return len === undefined || len === ai.length;
}

/**
 * The AI at the start of element-string data: the known AI that prefixes it, else (when unknown AIs
 * are permitted) the digits its two-digit prefix implies. Undefined when neither works.
 */
export function aiAtStart(data: string, permitUnknown: boolean): string | undefined {
  for (const len of [2, 3, 4]) {
    const ai = data.slice(0, len);
    if (ai.length === len && BY_AI.has(ai)) return ai;
  }
  if (!permitUnknown) return undefined;
  const len = LENGTH_BY_PREFIX.get(data.slice(0, 2));
  const ai = len === undefined ? '' : data.slice(0, len);
  return len !== undefined && ai.length === len && /^[0-9]+$/.test(ai) ? ai : undefined;
}

/** Whether `ai` needs an FNC1 separator before a following AI (unknown AIs: unless their prefix is predefined-length). */
export function needsFnc1(ai: string): boolean {
  const spec = BY_AI.get(ai);
  if (spec) return spec.fnc1;
  return (PREDEFINED_BY_PREFIX.get(ai.slice(0, 2)) ?? null) === null;
}

/** The predefined data length of `ai` (no FNC1 needed after it), or null when its data runs to the next FNC1. */
export function predefinedLength(ai: string): number | null {
  const spec = BY_AI.get(ai);
  if (spec) return spec.fnc1 ? null : fixedLength(spec);
  return PREDEFINED_BY_PREFIX.get(ai.slice(0, 2)) ?? null;
}

/** Whether `ai` matches a dictionary pattern such as `01`, `394n` or `31nn` (n = any digit). */
export function aiMatches(pattern: string, ai: string): boolean {
  if (pattern.length !== ai.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const c = ai[i] ?? '';
    if (p === 'n' ? c < '0' || c > '9' : p !== c) return false;
  }
  return true;
}

/** The component layout of an AI for messages, e.g. `N13 [X..17]`. */
export function formatSpec(spec: { components: AiComponent[] }): string {
  return spec.components
    .map((c) => {
      const s = `${c.cset}${c.min === c.max ? c.min : `..${c.max}`}`;
      return c.optional ? `[${s}]` : s;
    })
    .join(' ');
}
