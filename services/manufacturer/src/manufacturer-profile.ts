import type { PartnerProfile } from '@rxledger/gateway';

/** The manufacturer service: serialises packs, builds cases and pallets, ships, recalls (DESIGN §3). */
export const manufacturerProfile: PartnerProfile = {
  name: 'manufacturer',
  defaultPort: 7101,
  acceptTypes: ['COMMISSION', 'AGGREGATE', 'DISAGGREGATE', 'SHIP', 'DECOMMISSION', 'RECALL', 'UPDATE_ALERT'],
};
