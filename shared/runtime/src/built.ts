import { fileURLToPath } from 'node:url';

// Defined by infra/build.mjs in the code it bundles into dist/; undeclared when running TypeScript
// source (tsx, vitest).
declare const RXLEDGER_BUILT: boolean | undefined;

/**
 * Whether this code runs as built JavaScript from dist/ (infra/build.mjs) rather than as TypeScript
 * source. What a process starts (a service, a worker thread) is started the same way it runs itself,
 * so built code never loads TypeScript and tests never run a stale dist/.
 */
export const runsBuilt: boolean = typeof RXLEDGER_BUILT !== 'undefined' && RXLEDGER_BUILT === true;

/** The built file of one of infra/build.mjs's entry points, e.g. distEntry('ledger'). */
export function distEntry(name: string): string {
  // import.meta.url stays this source file's URL in the bundle too (infra/build.mjs keeps it).
  return fileURLToPath(new URL(`../../../dist/${name}.mjs`, import.meta.url));
}
