import { type CounterSettings, webPages } from '@rxledger/runtime';
import type { Express } from 'express';

export { PAGE_CSP } from '@rxledger/runtime';

/** The counter as the ledger serves it: it answers verify for a pharmacist token, and dispenses nothing. */
export const LEDGER_COUNTER: CounterSettings = {
  dispense: false,
  tokenLabel: 'Pharmacist token',
  regulatorPage: true,
};

/**
 * The ledger's pages: the counter at `/`, the regulator's provenance check at `/regulator`, both kept
 * for use offline by the service worker at `/sw.js` (shared/runtime's web-pages.ts serves them).
 */
export function pageRoutes(app: Express, webDir: string | undefined): void {
  webPages(app, webDir, {
    pages: { '/': 'index.html', '/regulator': 'regulator.html' },
    worker: true,
    counter: LEDGER_COUNTER,
  });
}
