import { createHash } from 'node:crypto';
import { RxError } from '@rxledger/runtime';
import type { Request } from 'express';
import { z } from 'zod';

/**
 * Who is asking (DESIGN §5). What each role may learn:
 * - pharmacist (bound to one pharmacy GLN): verify packs at its own counter; alerts never name other
 *   parties, so a pharmacist cannot map another company's distribution network.
 * - partner (bound to the GLNs of the parties one partner service hosts): verify on behalf of those
 *   parties (a pharmacy counter, a distributor checking a return), the provenance of packs one of them
 *   has held, the recall scope of GTINs one of them owns, the state of its own events, its own rejections.
 * - regulator: everything.
 * Checkpoints, proofs and schemas are public: they reveal hashes only.
 */
export type Role = 'pharmacist' | 'partner' | 'regulator';

export interface Principal {
  role: Role;
  /** The GLNs this principal acts for (empty for a regulator, who acts for no party). */
  glns: string[];
}

export const tokenFileSchema = z.object({
  tokens: z
    .array(
      z.object({
        hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 hex digits> of the token'),
        role: z.enum(['pharmacist', 'partner', 'regulator']),
        glns: z.array(z.string().regex(/^\d{13}$/, 'must be a GLN-13')).default([]),
        name: z.string().optional(),
      }),
    )
    .min(1, 'at least one token'),
});
export type TokenFile = z.infer<typeof tokenFileSchema>;

/** The SHA-256 form in which tokens are stored: the ledger never keeps a token in clear. */
export function tokenHash(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/** Looks bearer tokens up by their hash. */
export class TokenRegistry {
  readonly #byHash: Map<string, Principal>;
  // Tokens seen and found, so a busy counter does not hash its token on every request.
  readonly #known = new Map<string, Principal>();

  constructor(file: TokenFile) {
    this.#byHash = new Map(file.tokens.map((t) => [t.hash, { role: t.role, glns: t.glns }]));
  }

  /** The principal of a request, or 401 when the bearer token is missing or unknown. */
  authenticate(req: Request): Principal {
    const header = req.get('authorization');
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    let principal = token ? this.#known.get(token) : undefined;
    if (!principal && token) {
      principal = this.#byHash.get(tokenHash(token));
      if (principal) {
        if (this.#known.size >= 10_000) this.#known.clear();
        this.#known.set(token, principal);
      }
    }
    if (!principal) {
      throw new RxError(
        'UNAUTHENTICATED',
        token ? 'unknown bearer token' : 'missing Authorization: Bearer <token>',
        {
          status: 401,
        },
      );
    }
    return principal;
  }
}

/** 403 unless the principal has one of `roles`. */
export function requireRole(principal: Principal, roles: readonly Role[], what: string): void {
  if (!roles.includes(principal.role)) {
    throw new RxError('FORBIDDEN', `${what} is not open to the ${principal.role} role`, { status: 403 });
  }
}
