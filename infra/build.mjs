// Builds what production runs into dist/: one ES module per entry point (npm start, each service, the
// ledger's fold thread, the rxledger CLI, the benchmark), with the workspace's TypeScript bundled in and
// every npm dependency left to Node's own resolution (node_modules beside the repository). Plain JS, so
// it runs before anything is compiled. `npm start` and `npm run bench` call it first; it takes ~1 s.
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { buildWeb } from './build-web.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Entry points by output name: dist/<name>.mjs. `--production` builds only what an image runs. */
const PRODUCTION = {
  start: 'infra/start.ts',
  setup: 'infra/setup.ts',
  ledger: 'services/ledger/src/main.ts',
  manufacturer: 'services/manufacturer/src/main.ts',
  distributor: 'services/distributor/src/main.ts',
  pharmacy: 'services/pharmacy/src/main.ts',
  'fold-thread-worker': 'services/ledger/src/fold/fold-thread-worker.ts',
  rxledger: 'services/ledger/src/cli/rxledger.ts',
};
const ENTRIES = process.argv.includes('--production')
  ? PRODUCTION
  : { ...PRODUCTION, bench: 'bench/run.ts', 'bare-express': 'bench/bare-express.ts' };

// Each bundled module keeps its own source file's URL as import.meta.url, so that everything it finds
// beside itself (the Avro schemas, the Kafka POM, worker scripts) is found in the source tree exactly as
// when it runs from source; dist/ holds code only.
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

// Bare imports other than the workspace's own packages (and their `#` subpath imports) stay imports:
// native modules (better-sqlite3), packages that read their own files, and one copy of each on disk.
const externalDependencies = {
  name: 'external-dependencies',
  setup(b) {
    b.onResolve({ filter: /^[^./#]/ }, (args) =>
      args.path.startsWith('@rxledger/') ? undefined : { path: args.path, external: true },
    );
  },
};

const started = Date.now();
await build({
  absWorkingDir: root,
  entryPoints: ENTRIES,
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [sourceUrls, externalDependencies],
  // runtime's built.ts: what this code starts, it starts from dist/ too.
  define: { RXLEDGER_BUILT: 'true' },
  logLevel: 'warning',
});
// The ledger's page, for the browser (the ledger serves dist/web unless told otherwise).
const web = await buildWeb('dist/web');
// On stderr: `npm run rxledger` prints the CLI's own output on stdout.
process.stderr.write(
  `build     dist/ (${Object.keys(ENTRIES).length} entry points, and the page: ${web.files.length} files in dist/web) in ${Date.now() - started} ms\n`,
);
