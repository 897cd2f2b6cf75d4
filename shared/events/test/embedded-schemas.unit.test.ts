import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_SCHEMAS } from '../src/embedded-schemas.ts';

const dir = new URL('../schemas/', import.meta.url);

describe('embedded Avro schemas', () => {
  it('equal the .avsc files, every one of them (run scripts/embed-schemas.mjs after editing a schema)', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.avsc'));
    expect(Object.keys(EMBEDDED_SCHEMAS).sort()).toEqual(files.sort());
    for (const file of files) {
      expect(EMBEDDED_SCHEMAS[file], file).toEqual(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
    }
  });
});
