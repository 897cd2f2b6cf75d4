import type { PartnerProfile } from '@rxledger/gateway';

/** The distributor service: receives, repacks and ships on; it never creates or dispenses packs. */
export const distributorProfile: PartnerProfile = {
  name: 'distributor',
  defaultPort: 7102,
  acceptTypes: ['RECEIVE', 'AGGREGATE', 'DISAGGREGATE', 'SHIP', 'DECOMMISSION'],
};
