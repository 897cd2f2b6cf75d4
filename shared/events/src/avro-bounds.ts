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
  const r = { pos: start };
  walk(type as unknown as AvroTypeView, bytes, r, what);
  return r.pos;
}

function walk(t: AvroTypeView, b: Uint8Array, r: { pos: number }, what: string): void {
  const truncated = (): never => {
    throw new CodecError('TRUNCATED', `${what} ends early: ${t.typeName} at byte ${r.pos} runs past the end`);
  };
  const malformed = (reason: string): never => {
    throw new CodecError('MALFORMED_BODY', `${what} is malformed at byte ${r.pos}: ${reason}`);
  };
  const varint = (maxBytes: number): number => {
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < maxBytes; i++) {
      if (r.pos >= b.length) return truncated();
      const byte = b[r.pos++] as number;
      raw += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    }
    return malformed(`variable-length integer longer than ${maxBytes} bytes`);
  };
  // Skips a length-prefixed run (string, bytes, array block); a separate statement because
  // `r.pos += f()` would read r.pos before f() advances it.
  const skipLength = (kind: string): void => {
    const n = varint(10);
    if (n < 0) malformed(`negative ${kind} length ${n}`);
    if (n > b.length - r.pos) truncated();
    r.pos += n;
  };
  switch (t.typeName) {
    case 'null':
      return;
    case 'boolean':
      if (r.pos >= b.length) truncated();
      if ((b[r.pos++] as number) > 1) malformed('boolean byte is neither 0 nor 1');
      return;
    case 'int':
      varint(5);
      return;
    case 'long':
      varint(10);
      return;
    case 'float':
    case 'double': {
      const size = t.typeName === 'float' ? 4 : 8;
      if (size > b.length - r.pos) truncated();
      r.pos += size;
      return;
    }
    case 'string':
    case 'bytes':
      skipLength(t.typeName);
      return;
    case 'fixed':
      if ((t.size as number) > b.length - r.pos) truncated();
      r.pos += t.size as number;
      return;
    case 'enum': {
      const i = varint(10);
      const symbols = t.symbols as string[];
      if (i < 0 || i >= symbols.length) malformed(`enum index ${i} outside 0..${symbols.length - 1}`);
      return;
    }
    case 'union:wrapped':
    case 'union:unwrapped': {
      const i = varint(10);
      const branches = t.types as AvroTypeView[];
      if (i < 0 || i >= branches.length) malformed(`union index ${i} outside 0..${branches.length - 1}`);
      walk(branches[i] as AvroTypeView, b, r, what);
      return;
    }
    case 'array':
    case 'map':
      for (;;) {
        let count = varint(10);
        if (count === 0) return;
        if (count < 0) {
          // A negative count is followed by the block's size in bytes (the items still follow).
          count = -count;
          const size = varint(10);
          if (size < 0) malformed(`negative block size ${size}`);
          if (size > b.length - r.pos) truncated();
        }
        // Every item of every rxledger schema takes at least one byte, so a count beyond the bytes
        // left cannot be honest. (A schema with zero-byte items would need a different bound.)
        if (count > b.length - r.pos) truncated();
        for (let i = 0; i < count; i++) {
          if (t.typeName === 'map') skipLength('map key');
          walk((t.itemsType ?? t.valuesType) as AvroTypeView, b, r, what);
        }
      }
    case 'record':
      for (const f of t.fields ?? []) walk(f.type, b, r, what);
      return;
    default:
      malformed(`unsupported Avro type ${t.typeName}`);
  }
}
