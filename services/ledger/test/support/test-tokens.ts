import { writeFileSync } from 'node:fs';
import { type TokenFile, tokenHash } from '../../src/auth/principal.ts';
import { GLN } from './test-chain.ts';

/** Bearer tokens for every role the ledger knows, and the tokens file that registers them. */
export const TOKENS = {
  regulator: 'test-regulator-token',
  pharmacist: 'test-pharmacist-token',
  pharmacist2: 'test-pharmacist2-token',
  maker: 'test-maker-partner-token',
  distributor: 'test-distributor-partner-token',
  pharmacyService: 'test-pharmacy-service-token',
  pharmacy2Service: 'test-pharmacy2-service-token',
} as const;

export const TOKEN_FILE: TokenFile = {
  tokens: [
    { hash: tokenHash(TOKENS.regulator), role: 'regulator', glns: [] },
    { hash: tokenHash(TOKENS.pharmacist), role: 'pharmacist', glns: [GLN.pharmacy] },
    { hash: tokenHash(TOKENS.pharmacist2), role: 'pharmacist', glns: [GLN.pharmacy2] },
    { hash: tokenHash(TOKENS.maker), role: 'partner', glns: [GLN.maker] },
    { hash: tokenHash(TOKENS.distributor), role: 'partner', glns: [GLN.distributor] },
    // A partner service hosting two pharmacies holds one token per pharmacy.
    { hash: tokenHash(TOKENS.pharmacyService), role: 'partner', glns: [GLN.pharmacy] },
    { hash: tokenHash(TOKENS.pharmacy2Service), role: 'partner', glns: [GLN.pharmacy2] },
  ],
};

/** Writes the tokens file for a ledger process started from the command line. */
export function writeTokenFile(path: string): string {
  writeFileSync(path, JSON.stringify(TOKEN_FILE), { mode: 0o600 });
  return path;
}

/** Headers that authenticate as `who`. */
export const bearer = (who: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[who]}` });
