// Writes wire.json, wire-v2.json, wire-batch.json and custody-v2.json from build-wire-vectors.ts,
// build-batch-vectors.ts and build-custody-v2-vectors.ts. Run only for a deliberate, versioned contract
// change: the unit tests compare every later build with the files this writes.
import { writeFileSync } from 'node:fs';
import { buildBatchVectors } from './build-batch-vectors.ts';
import { buildCustodyV2Vectors } from './build-custody-v2-vectors.ts';
import { buildWireVectors, buildWireVectorsV2 } from './build-wire-vectors.ts';

for (const [file, vectors] of [
  ['./wire.json', buildWireVectors()],
  ['./wire-v2.json', buildWireVectorsV2()],
  ['./wire-batch.json', buildBatchVectors()],
  ['./custody-v2.json', buildCustodyV2Vectors()],
] as const) {
  const path = new URL(file, import.meta.url);
  writeFileSync(path, `${JSON.stringify(vectors, null, 2)}\n`);
  console.log(`wrote ${path.pathname}`);
}
