import type { Type } from 'avsc';
import { CodecError } from './errors.ts';

// avsc trusts the lengths and counts it reads: an array block count of 10^9 in a 20-byte record makes it
// allocate and loop until the process dies. Records on Kafka are decoded before their signature is
// checked, so this bounded walk runs first and refuses any length, count or index that cannot fit.

interface AvroTypeView {
  typeName: string;
  fields?: { name: string; type: AvroTypeView }[];
  types?: AvroTypeView[];
  itemsType?: AvroTypeView;
  valuesType?: AvroTypeView;
  symbols?: string[];
  size?: number;
}

/** Where a well-formed value of `type` starting at `start` ends; throws a CodecError naming the problem. */
export function checkAvroBounds(type: Type, bytes: Uint8Array, start: number, what: string): number {
  const r = new BoundedReader(bytes, start, what);
  r.walk(type as unknown as AvroTypeView);
  return r.pos;
}

// A class rather than closures per node: this walk runs on every record a ledger folds.
class BoundedReader {
  constructor(
    readonly b: Uint8Array,
    public pos: number,
    readonly what: string,
  ) {}

  truncated(t: AvroTypeView): never {
    throw new CodecError(
      'TRUNCATED',
      `${this.what} ends early: ${t.typeName} at byte ${this.pos} runs past the end`,
    );
  }

  malformed(reason: string): never {
    throw new CodecError('MALFORMED_BODY', `${this.what} is malformed at byte ${this.pos}: ${reason}`);
  }

  varint(t: AvroTypeView, maxBytes: number): number {
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < maxBytes; i++) {
      if (this.pos >= this.b.length) return this.truncated(t);
      const byte = this.b[this.pos++] as number;
      raw += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    }
    return this.malformed(`variable-length integer longer than ${maxBytes} bytes`);
  }

  // Skips a length-prefixed run (string, bytes, array block); a separate statement because
  // `pos += f()` would read pos before f() advances it.
  skipLength(t: AvroTypeView, kind: string): void {
    const n = this.varint(t, 10);
    if (n < 0) this.malformed(`negative ${kind} length ${n}`);
    if (n > this.b.length - this.pos) this.truncated(t);
    this.pos += n;
  }

  walk(t: AvroTypeView): void {
    const b = this.b;
    switch (t.typeName) {
      case 'null':
        return;
      case 'boolean':
        if (this.pos >= b.length) this.truncated(t);
        if ((b[this.pos++] as number) > 1) this.malformed('boolean byte is neither 0 nor 1');
        return;
      case 'int':
        this.varint(t, 5);
        return;
      case 'long':
        this.varint(t, 10);
        return;
      case 'float':
      case 'double': {
        const size = t.typeName === 'float' ? 4 : 8;
        if (size > b.length - this.pos) this.truncated(t);
        this.pos += size;
        return;
      }
      case 'string':
      case 'bytes':
        this.skipLength(t, t.typeName);
        return;
      case 'fixed':
        if ((t.size as number) > b.length - this.pos) this.truncated(t);
        this.pos += t.size as number;
        return;
      case 'enum': {
        const i = this.varint(t, 10);
        const symbols = t.symbols as string[];
        if (i < 0 || i >= symbols.length) this.malformed(`enum index ${i} outside 0..${symbols.length - 1}`);
        return;
      }
      case 'union:wrapped':
      case 'union:unwrapped': {
        const i = this.varint(t, 10);
        const branches = t.types as AvroTypeView[];
        if (i < 0 || i >= branches.length)
          this.malformed(`union index ${i} outside 0..${branches.length - 1}`);
        this.walk(branches[i] as AvroTypeView);
        return;
      }
      case 'array':
      case 'map':
        for (;;) {
          let count = this.varint(t, 10);
          if (count === 0) return;
          if (count < 0) {
            // A negative count is followed by the block's size in bytes (the items still follow).
            count = -count;
            const size = this.varint(t, 10);
            if (size < 0) this.malformed(`negative block size ${size}`);
            if (size > b.length - this.pos) this.truncated(t);
          }
          // Every item of every rxledger schema takes at least one byte, so a count beyond the bytes
          // left cannot be honest. (A schema with zero-byte items would need a different bound.)
          if (count > b.length - this.pos) this.truncated(t);
          const item = (t.itemsType ?? t.valuesType) as AvroTypeView;
          for (let i = 0; i < count; i++) {
            if (t.typeName === 'map') this.skipLength(t, 'map key');
            this.walk(item);
          }
        }
      case 'record':
        for (const f of t.fields ?? []) this.walk(f.type);
        return;
      default:
        this.malformed(`unsupported Avro type ${t.typeName}`);
    }
  }
}
