import { fromBase64, HASH_SIZE, parseCheckpoint, parseNote } from '@rxledger/tlog';

/** A leaf of the bundle with its bytes decoded; nothing about it verified yet. */
export interface BundleLeaf {
  index: number;
  leaf: Uint8Array;
  proof: Uint8Array[];
}

/** A bundle whose JSON has the right shape: strings, integers and base64 where they belong. */
export interface ParsedBundle {
  item: string;
  checkpoint: string;
  entries: BundleLeaf[];
  registry: BundleLeaf[];
  schemas: Map<string, unknown>;
}

export type ParseResult = { ok: true; bundle: ParsedBundle } | { ok: false; problems: string[] };

// A tree of at most 2^53 leaves (the sizes this code handles exactly) is 53 levels deep, so no
// inclusion proof is longer; refusing longer ones bounds the work a hostile bundle can cause.
const MAX_PROOF_HASHES = 53;
const MAX_PROBLEMS = 20;
const FINGERPRINT = /^[0-9a-f]{16}$/;

/**
 * Reads an untrusted JSON value as a bundle, or lists what is wrong with it, each problem as
 * `<JSON path>: <what>` (at most 20). Checks types, base64, hash lengths, and that indices ascend,
 * do not repeat and are below the checkpoint's tree size (read from its unverified text).
 * @example parseBundle(JSON.parse(text)) // { ok: false, problems: ['entries[2].proof[0]: hash is 31 bytes, expected 32'] }
 */
export function parseBundle(input: unknown): ParseResult {
  const problems: string[] = [];
  const problem = (path: string, what: string) => problems.push(`${path}: ${what}`);

  if (!isPlainObject(input)) {
    problem('bundle', `expected a JSON object, got ${describe(input)}`);
    return { ok: false, problems };
  }
  const { item, checkpoint, entries, registry, schemas } = input;
  if (typeof item !== 'string') problem('item', `expected the item's URI as a string, got ${describe(item)}`);
  else if (item === '') problem('item', 'is empty');
  if (typeof checkpoint !== 'string') {
    problem('checkpoint', `expected the signed checkpoint note as a string, got ${describe(checkpoint)}`);
  }
  const parsedEntries = leaves(entries, 'entries', problem);
  const parsedRegistry = leaves(registry, 'registry', problem);
  const parsedSchemas = new Map<string, unknown>();
  if (!isPlainObject(schemas)) {
    problem('schemas', `expected an object of fingerprint → schema, got ${describe(schemas)}`);
  } else {
    for (const [fp, schema] of Object.entries(schemas)) {
      if (!FINGERPRINT.test(fp))
        problem(`schemas[${JSON.stringify(fp)}]`, 'key is not a 16-digit lower-case hex fingerprint');
      else parsedSchemas.set(fp, schema);
    }
  }

  // Only the size is read here, so bounds can be named by path; the signature is the next check's.
  const size = typeof checkpoint === 'string' ? unverifiedSize(checkpoint) : undefined;
  if (size !== undefined) {
    for (const [list, parsed] of [
      ['entries', parsedEntries],
      ['registry', parsedRegistry],
    ] as const) {
      parsed?.forEach((l, i) => {
        if (l.index >= size)
          problem(`${list}[${i}].index`, `${l.index} is not below the checkpoint's tree size ${size}`);
      });
    }
  }
  if (parsedEntries && parsedRegistry) {
    const registryAt = new Map(parsedRegistry.map((l, i) => [l.index, i]));
    parsedEntries.forEach((l, i) => {
      const j = registryAt.get(l.index);
      if (j !== undefined) problem(`entries[${i}].index`, `${l.index} is also registry[${j}].index`);
    });
  }

  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS) shown.push(`… and ${problems.length - MAX_PROBLEMS} more problems`);
    return { ok: false, problems: shown };
  }
  return {
    ok: true,
    bundle: {
      item: item as string,
      checkpoint: checkpoint as string,
      entries: parsedEntries!,
      registry: parsedRegistry!,
      schemas: parsedSchemas,
    },
  };
}

function leaves(
  value: unknown,
  path: string,
  problem: (path: string, what: string) => void,
): BundleLeaf[] | undefined {
  if (!Array.isArray(value)) {
    problem(path, `expected an array of { index, leaf, proof }, got ${describe(value)}`);
    return undefined;
  }
  const out: BundleLeaf[] = [];
  let previous: number | undefined;
  let whole = true;
  value.forEach((entry: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isPlainObject(entry)) {
      problem(at, `expected an object { index, leaf, proof }, got ${describe(entry)}`);
      whole = false;
      return;
    }
    const { index, leaf, proof } = entry;
    let ok = true;
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
      problem(`${at}.index`, `expected a leaf index (an integer >= 0), got ${describe(index)}`);
      ok = false;
    } else if (previous !== undefined && index <= previous) {
      problem(
        `${at}.index`,
        index === previous
          ? `${index} repeats the previous index`
          : `${index} follows ${previous}: indices must ascend`,
      );
      ok = false;
    }
    if (typeof index === 'number') previous = index;
    const bytes = base64(leaf, `${at}.leaf`, problem);
    const hashes: Uint8Array[] = [];
    if (!Array.isArray(proof)) {
      problem(`${at}.proof`, `expected an array of base64 hashes, got ${describe(proof)}`);
      ok = false;
    } else if (proof.length > MAX_PROOF_HASHES) {
      problem(`${at}.proof`, `${proof.length} hashes, more than any tree needs (${MAX_PROOF_HASHES})`);
      ok = false;
    } else {
      proof.forEach((h: unknown, j) => {
        const hash = base64(h, `${at}.proof[${j}]`, problem);
        if (hash === undefined) ok = false;
        else if (hash.length !== HASH_SIZE) {
          problem(`${at}.proof[${j}]`, `hash is ${hash.length} bytes, expected ${HASH_SIZE}`);
          ok = false;
        } else hashes.push(hash);
      });
    }
    if (!ok || bytes === undefined) {
      whole = false;
      return;
    }
    out.push({ index: index as number, leaf: bytes, proof: hashes });
  });
  return whole ? out : undefined;
}

function base64(
  value: unknown,
  path: string,
  problem: (path: string, what: string) => void,
): Uint8Array | undefined {
  if (typeof value !== 'string') {
    problem(path, `expected a base64 string, got ${describe(value)}`);
    return undefined;
  }
  try {
    return fromBase64(value);
  } catch (err) {
    // tlog's message starts with the `what` argument ("base64: ..."), which the path replaces.
    problem(path, `not canonical standard base64 (${(err as Error).message.replace(/^base64: /, '')})`);
    return undefined;
  }
}

function unverifiedSize(note: string): number | undefined {
  try {
    return parseCheckpoint(parseNote(note).text).size;
  } catch {
    return undefined; // the checkpoint check reports why
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? 'a string' : JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'undefined') return 'nothing';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
