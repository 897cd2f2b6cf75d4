// Access to the shared corpus beside the checkout (/work/shared/corpus when the repo is /work/main).
// It is always present in CI, so its absence fails the corpus tests loudly instead of skipping them.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus');

/** The text of a corpus file, e.g. `gs1/vectors.json`; throws with the path looked at when missing. */
export function readCorpus(name: string): string {
  const path = join(CORPUS_DIR, name);
  if (!existsSync(path)) {
    throw new Error(`GS1 corpus file missing: ${path} (expected the shared corpus beside the checkout)`);
  }
  return readFileSync(path, 'utf8');
}
