import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import express, { type Express, type Response } from 'express';

/**
 * The page's own origin is the only source of anything it loads or sends: no inline script or style
 * (the build writes none), no framing, no form posted elsewhere, no base URL rewritten.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT =
  'The web pages have not been built. Run `npm run build` (npm start does it too), then reload this page.\n';

function webHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/** What the counter page does where it is served, read by the page from `GET /counter.json`. */
export interface CounterSettings {
  /** Whether this origin takes the pharmacy's DISPENSE (a partner service), or only answers verify. */
  dispense: boolean;
  /** What the page calls the token it asks for: a pharmacist token, a counter scanner key. */
  tokenLabel: string;
  /** Whether this origin also serves the regulator's page at `/regulator` (linked from the counter). */
  regulatorPage: boolean;
}

/** Which built pages a service serves, by path, and whether with the offline service worker. */
export interface WebSite {
  pages: Record<string, string>;
  /** Serves `/sw.js`, which keeps every page of `pages` for use offline. */
  worker: boolean;
  counter: CounterSettings;
}

/**
 * The pages of `site` and their assets at `/assets/`, from `webDir` as infra/build-web.mjs writes it (index.html,
 * regulator.html, assets/<name>-<hash>.<ext>, and the service worker sw.js at `/sw.js`). A page is read on every request and never cached, so a
 * rebuild shows at the next load; the assets are named by their content, so they are cached for good.
 * Before the pages are built (or without a `webDir`), each page answers 503 saying how to build it.
 */
export function webPages(app: Express, webDir: string | undefined, site: WebSite): void {
  app.get('/counter.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(site.counter);
  });
  for (const [path, file] of Object.entries(site.pages)) {
    app.get(path, (_req, res) => void serveBuilt(res, webDir, file, 'text/html', 503));
  }
  if (webDir === undefined) return;
  if (site.worker)
    app.get('/sw.js', (_req, res) => void serveBuilt(res, webDir, 'sw.js', 'text/javascript', 404));
  app.use(
    '/assets',
    express.static(join(webDir, 'assets'), {
      index: false,
      redirect: false,
      dotfiles: 'deny',
      immutable: true,
      maxAge: '365d',
      setHeaders: webHeaders,
    }),
  );
}

/**
 * One built file (a page, or the service worker, which sits at the root so that its scope covers every
 * page), read on every request and revalidated on every load, so that a rebuild shows at once. Before
 * the build (or without a `webDir`) the answer says how to build, with `missing` as its status.
 */
async function serveBuilt(
  res: Response,
  webDir: string | undefined,
  file: string,
  type: string,
  missing: number,
): Promise<void> {
  webHeaders(res);
  let body: Buffer;
  try {
    if (webDir === undefined) throw new Error('no web folder');
    body = await readFile(join(webDir, file));
  } catch {
    res.status(missing).type('text/plain; charset=utf-8').setHeader('Cache-Control', 'no-store');
    res.send(NOT_BUILT);
    return;
  }
  res.setHeader('Cache-Control', 'no-cache');
  res.type(`${type}; charset=utf-8`).send(body);
}
