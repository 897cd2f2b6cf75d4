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

/** The page's entry points: the name index.html refers to them by, and the source built for it. */
const ENTRIES = [
  { ref: './counter.ts', in: `${WEB}/counter.ts` },
  { ref: './counter.css', in: `${WEB}/counter.css` },
];

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
  });
  let html = await readFile(join(root, WEB, 'index.html'), 'utf8');
  for (const entry of ENTRIES) {
    const [file] = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === entry.in) ?? [];
    if (!file) throw new Error(`build-web: esbuild wrote nothing for ${entry.in}`);
    const count = html.split(`"${entry.ref}"`).length - 1;
    if (count !== 1)
      throw new Error(`build-web: index.html must refer to "${entry.ref}" once, not ${count} times`);
    html = html.replace(`"${entry.ref}"`, `"/assets/${file.split('/').pop()}"`);
  }
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'index.html'), html);
  const files = [
    'index.html',
    ...Object.keys(result.metafile.outputs).map((f) => relative(out, join(root, f))),
  ];
  return { outdir: out, files };
}
