import { aiMatches, aiSpec, fixedLength } from './dictionary.ts';
import { aiError, Gs1Error } from './errors.ts';

// A digital signature (8030) must sign a serialised key: these keys carry their serial in an optional component.
const DIGSIG_SERIALISED_KEYS = ['253', '255', '8003'];

const alternatives = (alts: string[][]) => alts.map((alt) => alt.map((a) => `(${a})`).join('+')).join(', ');

/**
 * Throws a Gs1Error unless the AIs of one message obey GS1's cross-AI rules: a repeated AI keeps
 * its value, no AI appears with one it excludes (`ex=`), every `req=` of every AI is met, and a
 * digital signature (8030) accompanies a serialised key.
 */
export function validateAssociations(
  ais: ReadonlyArray<readonly [string, string]>,
  options: { validateRequisites?: boolean } = {},
): void {
  const first = new Map<string, string>();
  for (const [ai, value] of ais) {
    const seen = first.get(ai);
    if (seen === undefined) first.set(ai, value);
    else if (seen !== value) {
      throw new Gs1Error(
        'DUPLICATE_AI',
        `AI (${ai}) occurs more than once with different values ("${seen}", "${value}")`,
        ai,
      );
    }
  }
  const present = [...first.keys()];

  for (const ai of present) {
    for (const pattern of aiSpec(ai)?.ex ?? []) {
      const other = present.find((o) => o !== ai && aiMatches(pattern, o));
      if (other) throw aiError('AI_CONFLICT', ai, `must not be used together with AI (${other})`);
    }
  }

  for (const ai of options.validateRequisites === false ? [] : present) {
    for (const req of aiSpec(ai)?.req ?? []) {
      const met = req.some((alt) => alt.every((pattern) => present.some((o) => aiMatches(pattern, o))));
      if (!met)
        throw aiError('MISSING_AI', ai, `requires ${req.length > 1 ? 'one of ' : ''}${alternatives(req)}`);
    }
  }

  if (first.has('8030')) {
    for (const key of DIGSIG_SERIALISED_KEYS) {
      const value = first.get(key);
      const spec = aiSpec(key);
      if (value === undefined || !spec) continue;
      const mandatory = fixedLength({ components: spec.components.filter((c) => !c.optional) }) ?? 0;
      if (value.length <= mandatory) {
        throw aiError('MISSING_AI', key, 'must include its serial component when signed by AI (8030)');
      }
    }
  }
}
