import type { PartnerProfile } from '@rxledger/gateway';
import { mountCounterVerify } from './counter-verify.ts';

/** The pharmacy service: receives and dispenses packs, and lets counter scanners verify one first. */
export const pharmacyProfile: PartnerProfile = {
  name: 'pharmacy',
  defaultPort: 7103,
  acceptTypes: ['RECEIVE', 'DISPENSE', 'DECOMMISSION'],
  extraRoutes: mountCounterVerify,
};
