// Builds the ledger's web page (services/ledger/web/) for the browser: its TypeScript and its CSS
// bundled, minified and named by content hash into <outdir>/assets/, and index.html written with those
// names, so that the page itself is never cached stale and its assets are cached for good. Then the
// service worker, <outdir>/sw.js, with the list of what it keeps for offline use built into it.
// infra/build.mjs calls it for dist/web; tests call it into a folder of their own, so that they never
// serve a stale dist/. Plain JS, like build.mjs: it runs before anything is compiled.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const WEB = 'services/ledger/web';

/**
 * The pages, the path services/ledger/src/routes/page-routes.ts serves each at, and the entry points
 * each refers to by the name its HTML uses.
 */
const PAGES = [
  { html: 'index.html', path: '/', refs: ['./counter.ts', './counter.css'] },
  { html: 'regulator.html', path: '/regulator', refs: ['./regulator.ts', './counter.css'] },
];
const ENTRIES = [...new Set(PAGES.flatMap((p) => p.refs))].map((ref) => ({
  ref,
  in: `${WEB}/${ref.slice(2)}`,
}));

/** How anything of the ledger's is bundled for a browser: the pages, their worker, the page benchmark. */
export const BROWSER_OPTIONS = {
  bundle: true,
  platform: 'browser',
  target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
  minify: true,
  logLevel: 'warning',
  // avsc's types reach util's debug switch, which reads process.env: a page has no environment.
  define: { 'process.env.NODE_DEBUG': 'undefined' },
};

/** The service worker: served at /sw.js, so that its scope is the whole origin (`/` and `/regulator`). */
const WORKER = { in: `${WEB}/service-worker.ts`, out: 'sw.js' };

/**
 * Builds the page into `outdir` (index.html and assets/), replacing what an earlier build left there.
 * @param {string} outdir absolute, or relative to the repository
 * @returns {Promise<{ outdir: string, files: string[] }>} the folder and the files written, relative to it
 */
export async function buildWeb(outdir) {
  const out = resolve(root, outdir);
  await rm(join(out, 'assets'), { recursive: true, force: true });
  const result = await build({
    ...BROWSER_OPTIONS,
    absWorkingDir: root,
    entryPoints: ENTRIES.map((e) => e.in),
    outdir: join(out, 'assets'),
    entryNames: '[name]-[hash]',
    format: 'esm',
    sourcemap: 'linked',
    metafile: true,
  });
  await mkdir(out, { recursive: true });
  const html = [];
  for (const page of PAGES) html.push(await writePage(page, result.metafile.outputs, out));
  const assets = Object.keys(result.metafile.outputs).map((f) => relative(out, join(root, f)));
  await buildWorker(out, assets, html);
  return { outdir: out, files: [...PAGES.map((p) => p.html), ...assets, WORKER.out] };
}

/**
 * Builds sw.js with what it precaches (the pages by path, their assets but not the source maps) and a
 * version over every byte of those, so that any change to a page or an asset makes a new worker.
 */
async function buildWorker(out, assets, html) {
  const precache = [
    ...PAGES.map((p) => p.path),
    ...assets.filter((a) => !a.endsWith('.map')).map((a) => `/${a}`),
  ];
  const version = createHash('sha256')
    .update(JSON.stringify([precache, html]))
    .digest('hex')
    .slice(0, 16);
  await build({
    ...BROWSER_OPTIONS,
    absWorkingDir: root,
    entryPoints: [WORKER.in],
    outfile: join(out, WORKER.out),
    // A classic script: every browser with service workers runs one; module workers came later.
    format: 'iife',
    define: {
      ...BROWSER_OPTIONS.define,
      __PRECACHE__: JSON.stringify(precache),
      __VERSION__: JSON.stringify(version),
    },
  });
}

/** Writes one page's HTML with each entry it refers to replaced by the built asset's hashed name; returns it. */
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
  return html;
}
