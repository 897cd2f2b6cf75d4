// The counter page as the ledger serves it (routes/page-routes.ts), from a build of its own
// (infra/build-web.mjs) in a temporary folder: headers, caching, and the 503 before a build.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpService, createLogger, type HttpService } from '@rxledger/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../../infra/build-web.mjs';
import { PAGE_CSP, pageRoutes } from '../src/routes/page-routes.ts';

async function serve(webDir: string | undefined): Promise<{ url: string; http: HttpService }> {
  const http = createHttpService({
    name: 'ledger',
    host: '127.0.0.1',
    port: 0,
    log: createLogger({ service: 'ledger', level: 'silent' }),
    routes: (app) => pageRoutes(app, webDir),
  });
  return { url: await http.start(), http };
}

describe('the page routes', () => {
  let dir: string;
  const servers: HttpService[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxledger-page-'));
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['no web folder given', undefined],
    ['a web folder never built', 'never-built'],
  ])('answers each page with 503 and how to build it: %s', async (_name, sub) => {
    const { url, http } = await serve(sub === undefined ? undefined : join(dir, sub));
    servers.push(http);
    for (const path of ['/', '/regulator']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(503);
      expect(res.headers.get('content-type'), path).toBe('text/plain; charset=utf-8');
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(await res.text(), path).toContain('npm run build');
    }
  });

  it('serves the regulator page beside the counter, with the same CSP and its own script', async () => {
    const webDir = join(dir, 'built-regulator');
    await buildWeb(webDir);
    const { url, http } = await serve(webDir);
    servers.push(http);
    const page = await fetch(`${url}/regulator`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=/i);
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.map((a) => a.replace(/-[A-Z0-9]{8}\./, '-HASH.'))).toEqual([
      '/assets/counter-HASH.css',
      '/assets/regulator-HASH.js',
    ]);
    for (const asset of assets) expect((await fetch(`${url}${asset}`)).status, asset).toBe(200);
  });

  it('serves the built page with a strict CSP, never cached, and its hashed assets cached for good', async () => {
    const webDir = join(dir, 'built');
    const { files } = await buildWeb(webDir);
    const { url, http } = await serve(webDir);
    servers.push(http);

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    // No inline script or style: every script has a src, no <style> element, no style attribute.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=/i);

    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.map((a) => a.replace(/-[A-Z0-9]{8}\./, '-HASH.'))).toEqual([
      '/assets/counter-HASH.css',
      '/assets/counter-HASH.js',
    ]);
    for (const asset of assets) {
      expect(files).toContain(asset.slice(1));
      const res = await fetch(`${url}${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('content-type'), asset).toMatch(
        asset.endsWith('.js') ? /^text\/javascript/ : /^text\/css/,
      );
      expect(res.headers.get('cache-control'), asset).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('x-content-type-options'), asset).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), asset).toBe(PAGE_CSP);
    }
    const missing = await fetch(`${url}/assets/counter-ABCDEFGH.js`);
    expect(missing.status).toBe(404);
    expect((await fetch(`${url}/assets/../index.html`)).status).not.toBe(200);
  });

  it('serves the service worker at the root, revalidated on every load, keeping both pages and their assets', async () => {
    const webDir = join(dir, 'built-worker');
    await buildWeb(webDir);
    const { url, http } = await serve(webDir);
    servers.push(http);
    const res = await fetch(`${url}/sw.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
    const worker = await res.text();
    const assets = async (path: string) =>
      [...(await (await fetch(`${url}${path}`)).text()).matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map(
        (m) => m[1]!,
      );
    for (const kept of ['/', '/regulator', ...(await assets('/')), ...(await assets('/regulator'))])
      expect(worker, kept).toContain(`"${kept}"`);
    expect(worker).not.toContain('.map"');
  });

  it('shows a rebuild at the next load: index.html is read on every request', async () => {
    const webDir = join(dir, 'rebuilt');
    const { url, http } = await serve(webDir);
    servers.push(http);
    expect((await fetch(`${url}/`)).status).toBe(503);
    await buildWeb(webDir);
    expect((await fetch(`${url}/`)).status).toBe(200);
  });
});
