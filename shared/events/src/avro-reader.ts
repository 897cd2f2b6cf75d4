import { asBuffer } from './bytes.ts';
import { CodecError } from './errors.ts';

// The one reader of rxledger's Avro records, in the ledger, the CLI and the browser alike. It reads the
// Avro binary encoding by walking the schema, without generated code (avsc compiles readers with
// `new Function`, which a page under a strict Content-Security-Policy may not run), and it accepts
// only the one byte string avsc writes for each value: minimal varints, one positive-count block per
// non-empty array, valid UTF-8. Then "same content" and "same bytes" mean the same thing (idempotent
// eventIds, byte-identical leaves). Lengths, counts and indexes are checked against the bytes left
// before anything is allocated: records are read before their signature is checked.
//
// Values are as avsc gives them with `wrapUnions`: records as objects, a union's null branch as null
// and any other branch as `{ "<branch name>": value }`, bytes and fixed as Buffer, longs as numbers.

/** The shape of a schema the reader walks; built once per schema by `readerTypeOf`. */
export type ReaderType =
  | { kind: 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'string' | 'bytes' }
  | { kind: 'fixed'; size: number }
  | { kind: 'enum'; symbols: readonly string[] }
  | { kind: 'array'; items: ReaderType }
  | { kind: 'union'; branches: readonly { name: string; type: ReaderType }[] }
  | { kind: 'record'; fields: readonly { name: string; type: ReaderType }[] };

type Named = Map<string, ReaderType>;

/** The reader's view of a parsed schema (JSON), resolving named types by full name. */
export function readerTypeOf(schema: unknown): ReaderType {
  return resolve(schema, '', new Map());
}

function fullName(name: string, namespace: string): string {
  return name.includes('.') || namespace === '' ? name : `${namespace}.${name}`;
}

function resolve(schema: unknown, namespace: string, named: Named): ReaderType {
  if (typeof schema === 'string') {
    if (PRIMITIVES.has(schema)) return { kind: schema as 'null' };
    const found = named.get(fullName(schema, namespace)) ?? named.get(schema);
    if (!found) throw new TypeError(`unknown Avro type name ${schema}`);
    return found;
  }
  if (Array.isArray(schema)) {
    const branches = schema.map((s) => ({
      name: branchName(s, namespace),
      type: resolve(s, namespace, named),
    }));
    return { kind: 'union', branches };
  }
  const s = schema as { type: unknown; name?: string; namespace?: string; [k: string]: unknown };
  if (typeof s.type !== 'string' || PRIMITIVES.has(s.type)) return resolve(s.type, namespace, named);
  const ns = s.namespace ?? (s.name?.includes('.') ? s.name.slice(0, s.name.lastIndexOf('.')) : namespace);
  const name = s.name === undefined ? '' : fullName(s.name, ns);
  switch (s.type) {
    case 'fixed':
      return define(named, name, { kind: 'fixed', size: s.size as number });
    case 'enum':
      return define(named, name, { kind: 'enum', symbols: s.symbols as string[] });
    case 'array':
      return { kind: 'array', items: resolve(s.items, namespace, named) };
    case 'record': {
      const fields: { name: string; type: ReaderType }[] = [];
      const record = define(named, name, { kind: 'record', fields });
      for (const f of s.fields as { name: string; type: unknown }[])
        fields.push({ name: f.name, type: resolve(f.type, ns, named) });
      return record;
    }
    default:
      throw new TypeError(`Avro type ${String(s.type)} is not one rxledger's schemas use`);
  }
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'string', 'bytes']);

function define(named: Named, name: string, type: ReaderType): ReaderType {
  if (name !== '') named.set(name, type);
  return type;
}

/** avsc's name for a union branch: a named type's full name, else its type name. */
function branchName(schema: unknown, namespace: string): string {
  if (typeof schema === 'string') return PRIMITIVES.has(schema) ? schema : fullName(schema, namespace);
  const s = schema as { type: unknown; name?: string; namespace?: string };
  if (s.name !== undefined) return fullName(s.name, s.namespace ?? namespace);
  return typeof s.type === 'string' ? s.type : branchName(s.type, namespace);
}

/** Reads one value of `type` from `bytes` at `start`, which must end exactly at the end of `bytes`. */
export function readCanonical(type: ReaderType, bytes: Uint8Array, start: number, what: string): unknown {
  const r = new CanonicalReader(bytes, start, what);
  const value = r.read(type);
  if (r.pos !== bytes.length)
    throw new CodecError('TRAILING_BYTES', `${bytes.length - r.pos} trailing bytes after a complete ${what}`);
  return value;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// A class rather than closures per node: this walk runs on every record a ledger folds.
class CanonicalReader {
  constructor(
    readonly b: Uint8Array,
    public pos: number,
    readonly what: string,
  ) {}

  truncated(kind: string): never {
    throw new CodecError(
      'TRUNCATED',
      `${this.what} ends early: ${kind} at byte ${this.pos} runs past the end`,
    );
  }

  malformed(reason: string): never {
    throw new CodecError('MALFORMED_BODY', `${this.what} is malformed at byte ${this.pos}: ${reason}`);
  }

  nonCanonical(reason: string): never {
    throw new CodecError(
      'NON_CANONICAL_ENCODING',
      `${this.what} is not in canonical Avro binary encoding: ${reason}`,
    );
  }

  /** A zig-zag varint of at most `maxBytes` bytes, refusing any longer than the value needs. */
  varint(kind: string, maxBytes: number): number {
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < maxBytes; i++) {
      if (this.pos >= this.b.length) return this.truncated(kind);
      const byte = this.b[this.pos++] as number;
      // Seven bytes hold 49 bits, exact in a double; longer ones are read again exactly.
      if (i === 7) return this.longVarint(kind, maxBytes);
      raw += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) !== 0) continue;
      if (byte === 0 && i > 0) this.nonCanonical(`overlong variable-length integer (${kind})`);
      return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    }
    return this.malformed(`variable-length integer longer than ${maxBytes} bytes`);
  }

  /** The varint that began 8 bytes back, read exactly; beyond ±(2^53 - 1) it has no exact number. */
  longVarint(kind: string, maxBytes: number): number {
    const start = this.pos - 8;
    this.pos = start;
    let raw = 0n;
    for (let i = 0; i < maxBytes; i++) {
      if (this.pos >= this.b.length) return this.truncated(kind);
      const byte = this.b[this.pos++] as number;
      raw |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) !== 0) continue;
      if (byte === 0) this.nonCanonical(`overlong variable-length integer (${kind})`);
      const value = (raw & 1n) === 0n ? raw >> 1n : -((raw + 1n) >> 1n);
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
        this.malformed(`${kind} ${value} is beyond what a JavaScript number holds exactly`);
      return Number(value);
    }
    return this.malformed(`variable-length integer longer than ${maxBytes} bytes`);
  }

  /** A length-prefixed run of bytes (string, bytes). */
  run(kind: string): Uint8Array {
    const n = this.varint(kind, 10);
    if (n < 0) this.malformed(`negative ${kind} length ${n}`);
    if (n > this.b.length - this.pos) this.truncated(kind);
    this.pos += n;
    return this.b.subarray(this.pos - n, this.pos);
  }

  index(kind: string, count: number): number {
    const i = this.varint(kind, 10);
    if (i < 0 || i >= count) this.malformed(`${kind} index ${i} outside 0..${count - 1}`);
    return i;
  }

  read(t: ReaderType): unknown {
    switch (t.kind) {
      case 'null':
        return null;
      case 'boolean': {
        if (this.pos >= this.b.length) this.truncated('boolean');
        const byte = this.b[this.pos++] as number;
        if (byte > 1) this.malformed('boolean byte is neither 0 nor 1');
        return byte === 1;
      }
      case 'int': {
        const n = this.varint('int', 5);
        if (n < -0x80000000 || n > 0x7fffffff) this.malformed(`int ${n} outside 32 bits`);
        return n;
      }
      case 'long':
        return this.varint('long', 10);
      case 'float':
      case 'double':
        return this.float(t.kind);
      case 'string':
        return this.string();
      case 'bytes':
        return asBuffer(this.run('bytes').slice());
      case 'fixed':
        if (t.size > this.b.length - this.pos) this.truncated('fixed');
        this.pos += t.size;
        return asBuffer(this.b.slice(this.pos - t.size, this.pos));
      case 'enum':
        return t.symbols[this.index('enum', t.symbols.length)];
      case 'union': {
        const branch = t.branches[this.index('union', t.branches.length)]!;
        return branch.type.kind === 'null' ? null : { [branch.name]: this.read(branch.type) };
      }
      case 'array':
        return this.array(t.items);
      case 'record': {
        const value: Record<string, unknown> = {};
        for (const f of t.fields) value[f.name] = this.read(f.type);
        return value;
      }
    }
  }

  string(): string {
    const run = this.run('string');
    try {
      return UTF8.decode(run);
    } catch {
      return this.nonCanonical('a string is not valid UTF-8');
    }
  }

  float(kind: 'float' | 'double'): number {
    const size = kind === 'float' ? 4 : 8;
    if (size > this.b.length - this.pos) this.truncated(kind);
    const view = new DataView(this.b.buffer, this.b.byteOffset + this.pos, size);
    this.pos += size;
    return size === 4 ? view.getFloat32(0, true) : view.getFloat64(0, true);
  }

  // avsc writes a non-empty array as one block with a positive count, then a zero count.
  array(items: ReaderType): unknown[] {
    const count = this.varint('array', 10);
    if (count === 0) return [];
    if (count < 0) this.nonCanonical('array block with a byte size (avsc writes counts only)');
    // Every item of every rxledger schema takes at least one byte, so a count beyond the bytes left
    // cannot be honest. (A schema with zero-byte items would need a different bound.)
    if (count > this.b.length - this.pos) this.truncated('array');
    const out: unknown[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = this.read(items);
    if (this.varint('array', 10) !== 0) this.nonCanonical('array in more than one block');
    return out;
  }
}
