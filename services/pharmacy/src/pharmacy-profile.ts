import type { PartnerProfile } from '@rxledger/gateway';
import { type CounterSettings, webPages } from '@rxledger/runtime';
import { mountCounterVerify } from './counter-verify.ts';

/** The counter as the pharmacy serves it: verify through this service, and dispense here. */
export const PHARMACY_COUNTER: CounterSettings = {
  dispense: true,
  tokenLabel: 'Counter scanner key',
  regulatorPage: false,
};

/**
 * The pharmacy service: receives and dispenses packs, and lets counter scanners verify one first.
 * With `webDir` (the pages as infra/build-web.mjs builds them) it also serves the counter page at `/`,
 * whose verify and DISPENSE go to this service under the counter scanner's key.
 */
export function pharmacyProfileWith(opts: { webDir?: string | undefined } = {}): PartnerProfile {
  return {
    name: 'pharmacy',
    defaultPort: 7103,
    acceptTypes: ['RECEIVE', 'DISPENSE', 'UNDO_DISPENSE', 'DECOMMISSION', 'UPDATE_ALERT'],
    extraRoutes: (app, ctx) => {
      mountCounterVerify(app, ctx);
      webPages(app, opts.webDir, { pages: { '/': 'index.html' }, worker: false, counter: PHARMACY_COUNTER });
    },
  };
}

/** The pharmacy service without its counter page (a 503 at `/` says how to build it). */
export const pharmacyProfile: PartnerProfile = pharmacyProfileWith();
