// Runs every vector of ../shared/corpus/gs1/vectors.json (written by others: GS1's syntax engine and
// digital-link.js test suites) through this library, following the file's `conventions`:
// - elementStrings: stage 'syntax' is judged without cross-AI rules (and, where the file says whether
//   the input also passes them, that is checked too); 'crossAI' and 'full' with them;
// - 'fnc1' inputs carry FNC1-in-first-position as a leading GS, which the engine requires;
// - a vector's `options` are mapped onto this library's options of the same meaning.
// Categories outside rxledger's needs are skipped with a counted reason. A summary is printed once.

import { afterAll, describe, expect, it } from 'vitest';
import {
  checkDigit,
  type DigitalLinkOptions,
  decodeScanData,
  formatDigitalLink,
  formatElementString,
  GS,
  Gs1Error,
  isValidDlPathSequence,
  isValidGln,
  isValidGtin,
  isValidSscc,
  parseBracketed,
  parseDigitalLinkParts,
  parseElementString,
  percentDecode,
  percentEncode,
  toDigitalLink,
  validateAssociations,
} from '../src/index.ts';
import { readCorpus } from './corpus.ts';

type Pairs = Array<[string, string]>;
type Vector = Record<string, unknown> & { valid?: boolean; options?: Record<string, boolean>; ais?: Pairs };

// The element data of a vector: JSON objects lose the order of numeric keys such as "10" or "99",
// so each `"ais": {...}` is rewritten into an ordered list of pairs before parsing.
function loadVectors(): Record<string, unknown> {
  const text = readCorpus('gs1/vectors.json').replace(/"ais":\s*\{([^{}]*)\}/g, (_, body: string) => {
    const pairs = [...body.matchAll(/("(?:[^"\\]|\\.)*")\s*:\s*("(?:[^"\\]|\\.)*")/g)].map((m) => [
      JSON.parse(m[1] ?? '""'),
      JSON.parse(m[2] ?? '""'),
    ]);
    return `"ais": ${JSON.stringify(pairs)}`;
  });
  return JSON.parse(text) as Record<string, unknown>;
}

const corpus = loadVectors();
const vectors = (name: string) => corpus[name] as Vector[];

/** The AIs rxledger handles; vectors on these alone (or on no AI at all) must pass. */
const RX_AIS = new Set([
  '00',
  '01',
  '02',
  '10',
  '11',
  '17',
  '21',
  '37',
  '410',
  '411',
  '412',
  '413',
  '414',
  '415',
  '416',
  '417',
]);

type Outcome = { ok: true } | { ok: false; why: string } | { skip: string };
const OK: Outcome = { ok: true };
const failed = (why: string): Outcome => ({ ok: false, why });
const verdict = (problem: string | null): Outcome => (problem ? failed(problem) : OK);

interface Tally {
  total: number;
  pass: number;
  mandatory: number;
  mandatoryPass: number;
  skipped: Map<string, number>;
}
const tallies = new Map<string, Tally>();

/** Evaluates a category, records the tally, and returns the failures (with the vector's line) for assertion. */
function runCategory(
  name: string,
  evaluate: (v: Vector) => Outcome,
  aisOf: (v: Vector) => string[],
): string[] {
  const tally: Tally = { total: 0, pass: 0, mandatory: 0, mandatoryPass: 0, skipped: new Map() };
  const failures: string[] = [];
  for (const v of vectors(name)) {
    tally.total++;
    const outcome = evaluate(v);
    if ('skip' in outcome) {
      tally.skipped.set(outcome.skip, (tally.skipped.get(outcome.skip) ?? 0) + 1);
      continue;
    }
    const mandatory = aisOf(v).every((ai) => RX_AIS.has(ai));
    if (mandatory) tally.mandatory++;
    if (outcome.ok) {
      tally.pass++;
      if (mandatory) tally.mandatoryPass++;
    } else {
      failures.push(
        `${name} ${v.from}:${v.line}${mandatory ? ' [mandatory]' : ''}: ${outcome.why} -- ${JSON.stringify(v)}`,
      );
    }
  }
  tallies.set(name, tally);
  return failures;
}

/** Runs `fn` and judges it against `valid`: rejections must be Gs1Error, acceptances pass `check`. */
function judge<T>(valid: boolean | undefined, fn: () => T, check?: (result: T) => string | null): Outcome {
  let result: T;
  try {
    result = fn();
  } catch (err) {
    if (!(err instanceof Gs1Error)) return failed(`threw ${String(err)} instead of a Gs1Error`);
    return valid ? failed(`rejected: ${err.message}`) : OK;
  }
  if (valid === false) return failed(`accepted: ${JSON.stringify(result)}`);
  const problem = check?.(result);
  return problem ? failed(problem) : OK;
}

const same = (what: string, actual: unknown, expected: unknown): string | null =>
  JSON.stringify(actual) === JSON.stringify(expected)
    ? null
    : `${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;

const expectedAis = (v: Vector): Pairs | undefined => (v.aiList as Pairs | undefined) ?? v.ais;

/** Library options for a vector's `options` (the GS1 syntax engine's names). */
function optionsOf(v: Vector): DigitalLinkOptions {
  const o = v.options ?? {};
  return {
    permitUnknownAIs: o.permitUnknownAIs ?? false,
    validateRequisites: !o.requisiteAIsDisabled,
    permitZeroSuppressedGtin: o.permitZeroSuppressedGTINinDLuris ?? false,
    permitConvenienceAlphas: o.permitConvenienceAlphas ?? false,
    permitUnknownDlAttributes: o.unknownAInotDLattrDisabled ?? false,
  };
}

// `passesAllChecks` is informational (computed by re-running the engine, not asserted by its tests):
// disagreements are listed in the summary rather than failing the vector.
const informational: string[] = [];

/** Whether the same input also passes the cross-AI rules, compared with the file's computed `passesAllChecks`. */
function allChecks(v: Vector, ais: Pairs): null {
  if (typeof v.passesAllChecks !== 'boolean') return null;
  let passes = true;
  try {
    validateAssociations(ais, optionsOf(v));
  } catch (err) {
    if (!(err instanceof Gs1Error)) throw err;
    passes = false;
  }
  if (passes !== v.passesAllChecks) {
    informational.push(
      `${v.from}:${v.line} passesAllChecks is ${v.passesAllChecks}, cross-AI rules here say ${passes}`,
    );
  }
  return null;
}

// The AIs a vector is about, for deciding whether it is in rxledger's mandatory subset: its decoded
// AIs when valid, else the AIs its input names (bracketed AIs, DL path/query AIs, AIs the engine error names).
function aisOfInput(v: Vector, input: string): string[] {
  const listed = expectedAis(v)?.map(([ai]) => ai);
  if (listed) return listed;
  const found = new Set<string>();
  for (const m of input.matchAll(/(?<!\\)\((\w*)\)/g)) found.add(m[1] ?? '');
  for (const m of String(v.engineError ?? '').matchAll(/AI \((\w+)\)/g)) found.add(m[1] ?? '');
  if (/^https?:/i.test(input)) {
    const [pathPart = '', query = ''] = input.split('#')[0]?.split('?') ?? [];
    for (const seg of pathPart.split('/').slice(3)) if (/^[0-9]{2,4}$/.test(seg)) found.add(seg);
    for (const m of query.matchAll(/(?:^|&)([0-9]+)=/g)) found.add(m[1] ?? '');
  }
  if (!input.startsWith('(') && !/^https?:/i.test(input)) {
    // FNC1 form: the AI at the start of each GS-separated field (unknown prefixes count as unknown AIs).
    for (const field of input.replace(/^\][A-Za-z0-9]{2}/, '').split(GS)) {
      if (field === '') continue;
      const ai = [2, 3, 4].map((n) => field.slice(0, n)).find((a) => RX_AIS.has(a));
      found.add(ai ?? `?${field.slice(0, 4)}`);
    }
  }
  return [...found];
}

describe('GS1 corpus vectors (../shared/corpus/gs1/vectors.json)', () => {
  afterAll(() => {
    let total = 0;
    let pass = 0;
    let mandatory = 0;
    let mandatoryPass = 0;
    const skipped = new Map<string, number>();
    const lines: string[] = [];
    for (const [name, t] of tallies) {
      total += t.total;
      pass += t.pass;
      mandatory += t.mandatory;
      mandatoryPass += t.mandatoryPass;
      for (const [why, n] of t.skipped) skipped.set(`${name}: ${why}`, n);
      const skips = [...t.skipped.values()].reduce((a, b) => a + b, 0);
      lines.push(
        `  ${name}: ${t.pass}/${t.total - skips} pass (mandatory ${t.mandatoryPass}/${t.mandatory}), ${skips} skipped`,
      );
    }
    const skipCount = [...skipped.values()].reduce((a, b) => a + b, 0);
    console.log(
      [
        `GS1 vectors: ${pass}/${total} of the whole file pass; mandatory subset (AIs 00,01,02,10,11,17,21,37,410-417) ${mandatoryPass}/${mandatory} pass; ${skipCount} skipped, ${total - pass - skipCount} failed`,
        ...lines,
        ...[...skipped].map(([why, n]) => `  skipped ${n}: ${why}`),
        `  informational passesAllChecks disagreements: ${informational.length}`,
        ...informational.map((d) => `    ${d}`),
      ].join('\n'),
    );
  });

  it('checkDigit: keys and their mod-10 check digits', () => {
    const failures = runCategory(
      'checkDigit',
      (v) => {
        const value = String(v.value);
        const keyed = value.slice(0, typeof v.checkedLength === 'number' ? v.checkedLength : value.length);
        const byKey: Record<string, (s: string) => boolean> = {
          gtin: isValidGtin,
          sscc: isValidSscc,
          gln: isValidGln,
        };
        const valid = (byKey[String(v.key)] ?? ((s: string) => checkDigit(s.slice(0, -1)) === s.slice(-1)))(
          keyed,
        );
        if (valid !== v.valid) return failed(`valid: got ${valid}`);
        if (typeof v.correctCheckDigit === 'string') {
          return verdict(same('check digit', checkDigit(keyed.slice(0, -1)), v.correctCheckDigit));
        }
        return OK;
      },
      (v) => [
        ({ gtin: '01', sscc: '00', gln: '414' } as Record<string, string>)[String(v.key)] ?? String(v.key),
      ],
    );
    expect(failures).toEqual([]);
  });

  it('elementStrings: bracketed and FNC1 element strings, per AI and across AIs', () => {
    const failures = runCategory(
      'elementStrings',
      (v) => {
        const input = String(v.input);
        const options = { ...optionsOf(v), validateAssociations: v.stage !== 'syntax' };
        const parse = () =>
          v.form === 'bracketed'
            ? parseBracketed(input, options)
            : parseElementString(input, { ...options, requireLeadingFnc1: true });
        return judge(v.valid, parse, (ais) => {
          const expected = expectedAis(v);
          return (
            (expected ? same('ais', ais, expected) : null) ??
            (typeof v.elementString === 'string'
              ? same('element string', formatElementString(ais), v.elementString)
              : null) ??
            allChecks(v, ais)
          );
        });
      },
      (v) => aisOfInput(v, String(v.input)),
    );
    expect(failures).toEqual([]);
  });

  it('scanData: scanner output with symbology identifiers', () => {
    const failures = runCategory(
      'scanData',
      (v) =>
        judge(
          v.valid,
          () => decodeScanData(String(v.scan), optionsOf(v)),
          (d) => {
            const primary = d.primaryData === undefined ? [] : [['01', d.primaryData.padStart(14, '0')]];
            const ais = v.ais ? [...primary, ...v.ais] : d.ais.length > 0 ? d.ais : [];
            return (
              same('symbology', d.symbology, v.symbology) ??
              same('ais', d.ais, ais) ??
              (v.plainData !== undefined ? same('plain data', d.plainData, v.plainData) : null) ??
              (v.digitalLink !== undefined ? same('digital link', d.digitalLink, v.digitalLink) : null) ??
              (v.primaryData !== undefined ? same('primary data', d.primaryData, v.primaryData) : null) ??
              (typeof v.elementString === 'string'
                ? same('element string', formatElementString(d.ais), v.elementString)
                : null) ??
              (typeof v.compositeElementString === 'string'
                ? same('composite', formatElementString(d.ais.slice(1)), v.compositeElementString)
                : null)
            );
          },
        ),
      (v) => aisOfInput(v, String(v.scan)),
    );
    expect(failures).toEqual([]);
  });

  it('digitalLink: parsing GS1 Digital Link URIs', () => {
    const failures = runCategory(
      'digitalLink',
      (v) => {
        if (v.valid === undefined) return { skip: 'parse-only vector with no asserted validity' };
        const options = { ...optionsOf(v), validateAssociations: false };
        return judge(
          v.valid,
          () => parseDigitalLinkParts(String(v.uri), options),
          (parts) => {
            const ais = [...parts.path, ...parts.query];
            return (
              (v.ais ? same('ais', ais, v.ais) : null) ??
              (typeof v.elementString === 'string'
                ? same('element string', formatElementString(ais), v.elementString)
                : null) ??
              (v.ignoredQueryParams
                ? same('ignored query params', parts.ignoredQueryParams, v.ignoredQueryParams)
                : null) ??
              allChecks(v, ais)
            );
          },
        );
      },
      (v) => aisOfInput(v, String(v.uri)),
    );
    expect(failures).toEqual([]);
  });

  it('digitalLinkGeneration: Digital Link URIs from AI data', () => {
    const failures = runCategory(
      'digitalLinkGeneration',
      (v) => {
        const input = String(v.input);
        const options = optionsOf(v);
        const stem = (v.stem as string | null | undefined) ?? null;
        const generate = () => {
          if (v.inputForm === 'digitalLink')
            return formatDigitalLink(parseDigitalLinkParts(input, options), stem);
          let ais: Pairs;
          if (v.inputForm === 'bracketed') ais = parseBracketed(input, options);
          else {
            // '|' separates the linear and the 2D composite component; each is FNC1-first element data.
            ais = input
              .split('|')
              .flatMap((part) => parseElementString(part, { ...options, validateAssociations: false }));
            validateAssociations(ais, options);
          }
          return toDigitalLink(ais, {
            stem,
            permitUnknownDlAttributes: options.permitUnknownDlAttributes ?? false,
          });
        };
        return judge(v.valid, generate, (uri) => same('digital link', uri, v.digitalLink));
      },
      (v) => aisOfInput(v, String(v.input)),
    );
    expect(failures).toEqual([]);
  });

  it('percentEncoding: escaping values for DL path and query', () => {
    const failures = runCategory(
      'percentEncoding',
      (v) => {
        const input = String(v.input);
        const f = v.operation === 'escape' ? percentEncode : percentDecode;
        return verdict(same('path', f(input, 'path'), v.path) ?? same('query', f(input, 'query'), v.query));
      },
      () => [],
    );
    expect(failures).toEqual([]);
  });

  it('digitalLinkPathSequences: key-qualifier sequences', () => {
    const failures = runCategory(
      'digitalLinkPathSequences',
      (v) => verdict(same('valid', isValidDlPathSequence(v.sequence as string[]), v.valid)),
      (v) => v.sequence as string[],
    );
    expect(failures).toEqual([]);
  });

  it('digitalLinkGrammarRules: single DL grammar rules, judged through the parser', () => {
    const failures = runCategory(
      'digitalLinkGrammarRules',
      (v) => {
        const value = String(v.value);
        const base = 'https://example.com/01/09520123456788';
        const options = { validateAssociations: false, permitZeroSuppressedGtin: true };
        switch (v.rule) {
          case 'gtin':
            return judge(v.valid, () => parseDigitalLinkParts(`https://example.com/01/${value}`, options));
          case 'ser':
            return judge(v.valid, () => parseDigitalLinkParts(`${base}/21/${value}`, options));
          case 'cpv':
            return judge(v.valid, () => parseDigitalLinkParts(`${base}/22/${value}`, options));
          case 'extensionParameter':
            // An extension parameter is a query parameter GS1 leaves alone: not an AI, not rejected.
            return judge(v.valid, () => {
              const parts = parseDigitalLinkParts(`${base}?${value}`, options);
              if (!parts.ignoredQueryParams.includes(value))
                throw new Gs1Error('BAD_URI', 'not an extension parameter');
              return parts;
            });
          default:
            return { skip: `grammar rule '${String(v.rule)}' has no counterpart here` };
        }
      },
      (v) => ({ gtin: ['01'], ser: ['21'], cpv: ['22'] })[String(v.rule)] ?? [],
    );
    expect(failures).toEqual([]);
  });

  it('scanDataGeneration: skipped, rxledger reads scans but never encodes symbols', () => {
    const failures = runCategory(
      'scanDataGeneration',
      () => ({
        skip: 'encoder side (generating symbology scan data) is out of scope: rxledger only reads scans',
      }),
      () => [],
    );
    expect(failures).toEqual([]);
  });

  it('digitalLinkCompression: skipped, compressed DL URIs are not accepted by rxledger', () => {
    const failures = runCategory(
      'digitalLinkCompression',
      () => ({
        skip: 'DL URI compression is optional in DL 1.2 and not supported: rxledger takes uncompressed URIs only',
      }),
      () => [],
    );
    expect(failures).toEqual([]);
  });
});
