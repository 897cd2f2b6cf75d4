import { describe, expect, it } from 'vitest';
import { dictionaryRelease, parseConvenienceAlphas, parseDictionary } from '../scripts/parse-dictionary.ts';
import { AI_ENTRIES, DICTIONARY_RELEASE, DL_CONVENIENCE_ALPHAS } from '../src/dictionary.generated.ts';
import { aiLengthForPrefix, aiSpec, allAis, fixedLength, predefinedLength } from '../src/dictionary.ts';
import { LINTERS } from '../src/linters.ts';
import { readCorpus } from './corpus.ts';

describe('dictionary.generated.ts', () => {
  it('is up to date with ../shared/corpus/gs1 (regenerate: npx tsx shared/gs1/scripts/gen-dictionary.ts)', () => {
    const text = readCorpus('gs1/gs1-syntax-dictionary.txt');
    expect(DICTIONARY_RELEASE).toBe(dictionaryRelease(text));
    expect(AI_ENTRIES).toEqual(parseDictionary(text));
    expect(DL_CONVENIENCE_ALPHAS).toEqual(
      parseConvenienceAlphas(readCorpus('gs1/GS1_Digital_Link_Grammar_1_2.abnf')),
    );
  });

  it('names only linters that are implemented', () => {
    const named = new Set(AI_ENTRIES.flatMap((e) => e.components.flatMap((c) => c.linters)));
    expect([...named].filter((l) => !(l in LINTERS))).toEqual([]);
  });

  it('keeps the AI system prefix-free, with one AI length per two-digit prefix', () => {
    const ais = allAis();
    expect(ais.filter((a) => ais.some((b) => b !== a && b.startsWith(a)))).toEqual([]);
    expect(ais.filter((a) => aiLengthForPrefix(a.slice(0, 2)) !== a.length)).toEqual([]);
  });

  it('marks only fixed-length AIs as not needing FNC1, e.g. the predefined-length table of the General Specifications', () => {
    for (const ai of allAis()) {
      const spec = aiSpec(ai);
      if (spec && !spec.fnc1) expect(fixedLength(spec), ai).not.toBeNull();
    }
    expect(['00', '01', '02', '11', '17', '3103', '410', '414'].map(predefinedLength)).toEqual([
      18, 14, 14, 6, 6, 6, 13, 13,
    ]);
    expect(['10', '21', '37', '8003'].map(predefinedLength)).toEqual([null, null, null, null]);
  });

  it('describes the AIs rxledger relies on as GS1 defines them', () => {
    expect(aiSpec('01')).toMatchObject({
      fnc1: false,
      dlpkey: [['22', '10', '21'], ['235']],
      ex: ['255', '37'],
    });
    expect(aiSpec('21')?.components).toEqual([{ cset: 'X', min: 1, max: 20, optional: false, linters: [] }]);
    expect(aiSpec('17')?.components[0]?.linters).toEqual(['yymmd0']);
    expect(aiSpec('414')?.dlpkey).toEqual([['254'], ['7040']]);
    expect(aiSpec('3105')?.ex).toEqual(['310n']);
    expect(aiSpec('99')?.title).toBe('INTERNAL');
  });
});
