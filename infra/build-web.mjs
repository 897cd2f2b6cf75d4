// Builds the ledger's web page (services/ledger/web/) for the browser: its TypeScript and its CSS
// bundled, minified and named by content hash into <outdir>/assets/, and index.html written with those
// names, so that the page itself is never cached stale and its assets are cached for good.
// infra/build.mjs calls it for dist/web; tests call it into a folder of their own, so that they never
// serve a stale dist/. Plain JS, like build.mjs: it runs before anything is compiled.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const WEB = 'services/ledger/web';

/** The pages, and the entry points each refers to by the name its HTML uses. */
const PAGES = [
  { html: 'index.html', refs: ['./counter.ts', './counter.css'] },
  { html: 'regulator.html', refs: ['./regulator.ts', './counter.css'] },
];
const ENTRIES = [...new Set(PAGES.flatMap((p) => p.refs))].map((ref) => ({
  ref,
  in: `${WEB}/${ref.slice(2)}`,
}));

/**
 * Builds the page into `outdir` (index.html and assets/), replacing what an earlier build left there.
 * @param {string} outdir absolute, or relative to the repository
 * @returns {Promise<{ outdir: string, files: string[] }>} the folder and the files written, relative to it
 */
export async function buildWeb(outdir) {
  const out = resolve(root, outdir);
  await rm(join(out, 'assets'), { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES.map((e) => e.in),
    outdir: join(out, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    // avsc's types reach util's debug switch, which reads process.env: a page has no environment.
    define: { 'process.env.NODE_DEBUG': 'undefined' },
  });
  await mkdir(out, { recursive: true });
  for (const page of PAGES) await writePage(page, result.metafile.outputs, out);
  const files = [
    ...PAGES.map((p) => p.html),
    ...Object.keys(result.metafile.outputs).map((f) => relative(out, join(root, f))),
  ];
  return { outdir: out, files };
}

/** Writes one page's HTML with each entry it refers to replaced by the built asset's hashed name. */
async function writePage(page, outputs, out) {
  let html = await readFile(join(root, WEB, page.html), 'utf8');
  for (const ref of page.refs) {
    const source = `${WEB}/${ref.slice(2)}`;
    const [file] = Object.entries(outputs).find(([, o]) => o.entryPoint === source) ?? [];
    if (!file) throw new Error(`build-web: esbuild wrote nothing for ${source}`);
    const count = html.split(`"${ref}"`).length - 1;
    if (count !== 1)
      throw new Error(`build-web: ${page.html} must refer to "${ref}" once, not ${count} times`);
    html = html.replace(`"${ref}"`, `"/assets/${file.split('/').pop()}"`);
  }
  await writeFile(join(out, page.html), html);
}
