// Avro "Parsing Canonical Form" (specification, "Transforming into Parsing Canonical Form"): the text that
// schema fingerprints are computed over. Written out rather than taken from avsc's `schema()`, whose
// output is only incidentally canonical.

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

/** The Parsing Canonical Form of an Avro schema given as parsed JSON. */
export function parsingCanonicalForm(schema: unknown): string {
  return canonical(schema, '');
}

function canonical(schema: unknown, namespace: string): string {
  if (typeof schema === 'string')
    return JSON.stringify(PRIMITIVES.has(schema) ? schema : fullName(schema, namespace));
  if (Array.isArray(schema)) return `[${schema.map((s) => canonical(s, namespace)).join(',')}]`;
  if (typeof schema !== 'object' || schema === null)
    throw new TypeError(`not an Avro schema: ${String(schema)}`);
  const s = schema as Record<string, unknown>;
  const type = s.type;
  if (typeof type !== 'string') return canonical(type, namespace);
  switch (type) {
    case 'record':
    case 'enum':
    case 'fixed': {
      if (typeof s.name !== 'string') throw new TypeError(`${type} schema without a name`);
      const name = fullName(s.name, typeof s.namespace === 'string' ? s.namespace : namespace);
      const inner = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '';
      const head = `"name":${JSON.stringify(name)},"type":${JSON.stringify(type)}`;
      if (type === 'enum') return `{${head},"symbols":${JSON.stringify(s.symbols)}}`;
      if (type === 'fixed') return `{${head},"size":${Number(s.size)}}`;
      if (!Array.isArray(s.fields)) throw new TypeError(`record ${name} without fields`);
      const fields = s.fields.map((f: { name?: unknown; type?: unknown }) => {
        return `{"name":${JSON.stringify(f.name)},"type":${canonical(f.type, inner)}}`;
      });
      return `{${head},"fields":[${fields.join(',')}]}`;
    }
    case 'array':
      return `{"type":"array","items":${canonical(s.items, namespace)}}`;
    case 'map':
      return `{"type":"map","values":${canonical(s.values, namespace)}}`;
    default:
      // `{"type":"int","logicalType":…}` is just "int"; `{"type":"Name"}` is a reference.
      return canonical(type, namespace);
  }
}

function fullName(name: string, namespace: string): string {
  return name.includes('.') || namespace === '' ? name : `${namespace}.${name}`;
}
