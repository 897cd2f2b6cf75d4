// What every page test starts with: a fresh build of the pages, a whole rxledger serving it, and one
// Chromium page (Debian's chromium through playwright-core) whose script errors and CSP violations
// are collected in `problems`. Screenshots go to test/artifacts/page/ (ignored by git).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { buildWeb } from '../../infra/build-web.mjs';
import { startSystem, type TestSystem } from './system.ts';

export const PAGE_ARTIFACTS = resolve('test/artifacts/page');

export interface PageSession {
  sys: TestSystem;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Script errors and CSP violations the page raised; failed loads (a 401, a cut network) are not. */
  problems: string[];
  /** A full-page screenshot under test/artifacts/page/, its path printed for the test output. */
  shot(name: string): Promise<void>;
  /** Stops the system early (a test of the pages without their ledger); `close` then leaves it. */
  stopSystem(): Promise<void>;
  close(): Promise<void>;
}

export async function openPageSession(
  brokers: string[],
  executablePath: string,
  contextOptions: BrowserContextOptions,
): Promise<PageSession> {
  const webDir = await mkdtemp(join(tmpdir(), 'rxledger-web-'));
  await buildWeb(webDir);
  const sys = await startSystem(brokers, { webDir });
  await mkdir(PAGE_ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath, headless: true });
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  let stopped = false;
  const stopSystem = async () => {
    if (!stopped) await sys.stop();
    stopped = true;
  };
  return {
    sys,
    browser,
    context,
    page,
    problems,
    async shot(name) {
      const path = join(PAGE_ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      console.log(`screenshot: ${path}`);
    },
    stopSystem,
    async close() {
      await browser.close();
      await stopSystem();
      await rm(webDir, { recursive: true, force: true });
    },
  };
}
