// Writes wire.json from build-wire-vectors.ts. Run only for a deliberate, versioned contract change:
// the unit test compares every later build with the file this writes.
import { writeFileSync } from 'node:fs';
import { buildWireVectors } from './build-wire-vectors.ts';

const path = new URL('./wire.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(buildWireVectors(), null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
