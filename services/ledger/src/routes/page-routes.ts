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

/** The pages by path: the counter at `/`, the regulator's provenance check at `/regulator`. */
const PAGES: Record<string, string> = { '/': 'index.html', '/regulator': 'regulator.html' };

/**
 * The pages and their assets at `/assets/`, from `webDir` as infra/build-web.mjs writes it (index.html,
 * regulator.html, assets/<name>-<hash>.<ext>, and the service worker sw.js at `/sw.js`). A page is read on every request and never cached, so a
 * rebuild shows at the next load; the assets are named by their content, so they are cached for good.
 * Before the pages are built (or without a `webDir`), each page answers 503 saying how to build it.
 */
export function pageRoutes(app: Express, webDir: string | undefined): void {
  for (const [path, file] of Object.entries(PAGES)) {
    app.get(path, async (_req, res) => {
      webHeaders(res);
      let html: Buffer;
      try {
        if (webDir === undefined) throw new Error('no web folder');
        html = await readFile(join(webDir, file));
      } catch {
        res.status(503).type('text/plain; charset=utf-8').setHeader('Cache-Control', 'no-store');
        res.send(NOT_BUILT);
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.type('text/html; charset=utf-8').send(html);
    });
  }
  if (webDir === undefined) return;
  app.get('/sw.js', (_req, res) => void serveWorker(res, webDir));
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
 * The pages' service worker (web/service-worker.ts): at the root, so that its scope covers every page;
 * revalidated on every load, so that a rebuild's worker replaces the last one at once.
 */
async function serveWorker(res: Response, webDir: string): Promise<void> {
  webHeaders(res);
  let script: Buffer;
  try {
    script = await readFile(join(webDir, 'sw.js'));
  } catch {
    res.status(404).type('text/plain; charset=utf-8').setHeader('Cache-Control', 'no-store');
    res.send(NOT_BUILT);
    return;
  }
  res.setHeader('Cache-Control', 'no-cache');
  res.type('text/javascript; charset=utf-8').send(script);
}
