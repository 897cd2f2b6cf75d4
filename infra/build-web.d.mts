import type { BuildOptions } from 'esbuild';

/** Builds the ledger's pages into `outdir` (index.html, regulator.html, assets/, sw.js); see build-web.mjs. */
export function buildWeb(outdir: string): Promise<{ outdir: string; files: string[] }>;
/** How anything of the ledger's is bundled for a browser. */
export const BROWSER_OPTIONS: BuildOptions;
