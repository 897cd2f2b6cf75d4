import type { RegistryState } from './registry-state.ts';

/**
 * Whether manufacturer `partyGln` owns `gtin14`: one of its company prefixes starts the GTIN-14 after
 * its indicator digit (the indicator marks packaging level, not the owner).
 * @example ownsGtin(state, '4012345000009', '04012345123456') // prefix '4012345' → true
 */
export function ownsGtin(state: RegistryState, partyGln: string, gtin14: string): boolean {
  const party = state.parties.get(partyGln);
  if (party === undefined || !party.roles.includes('MANUFACTURER') || gtin14.length !== 14) return false;
  const body = gtin14.slice(1);
  return party.companyPrefixes.some((prefix) => body.startsWith(prefix));
}
