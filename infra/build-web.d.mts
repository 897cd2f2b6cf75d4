/** Builds the ledger's counter page into `outdir` (index.html and assets/); see build-web.mjs. */
export function buildWeb(outdir: string): Promise<{ outdir: string; files: string[] }>;
