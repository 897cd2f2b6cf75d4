import { createHash } from 'node:crypto';
import { RxError } from '@rxledger/runtime';
import type { Request } from 'express';
import { z } from 'zod';

/**
 * Who is asking (DESIGN §5). What each role may learn:
 * - pharmacist (bound to one pharmacy GLN): verify packs at its own counter; alerts never name other
 *   parties, so a pharmacist cannot map another company's distribution network.
 * - partner (bound to one party; a partner service hosting several parties holds one token per party):
 *   verify on behalf of that party (a pharmacy counter, a distributor checking a return), the
 *   provenance of packs it has legitimately held, the recall scope of GTINs it owns, the state of its
 *   own events, its own rejections.
 * - regulator: everything.
 * Checkpoints, proofs and schemas are public: they reveal hashes only.
 */
export type Role = 'pharmacist' | 'partner' | 'regulator';

export interface Principal {
  role: Role;
  /** The GLN this principal acts for, alone (empty for a regulator, who acts for no party). */
  glns: string[];
}

// Strict: a stray field, a raw `token` above all, is refused rather than silently kept on disk.
const tokenEntrySchema = z
  .strictObject({
    hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 hex digits> of the token'),
    role: z.enum(['pharmacist', 'partner', 'regulator']),
    glns: z.array(z.string().regex(/^\d{13}$/, 'must be a GLN-13')).default([]),
    name: z.string().optional(),
  })
  .superRefine((t, ctx) => {
    if (t.role === 'regulator' && t.glns.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['glns'],
        message: 'a regulator token acts for no party: leave glns empty',
      });
    } else if (t.role !== 'regulator' && t.glns.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['glns'],
        message: `a ${t.role} token acts for exactly one party: give one GLN (one token per party)`,
      });
    }
  });

/** The ledger's LEDGER_TOKENS_FILE: token hashes (never tokens), each with its role and party. */
export const tokenFileSchema = z.strictObject({
  tokens: z.array(tokenEntrySchema).min(1, 'at least one token'),
});
export type TokenFile = z.infer<typeof tokenFileSchema>;

/** The SHA-256 form in which tokens are stored: the ledger never keeps a token in clear. */
export function tokenHash(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/**
 * Looks bearer tokens up by their SHA-256 hash. It MUST NOT keep a token: each request's token is
 * hashed (about a microsecond) and dropped, so a heap dump of the ledger holds no usable credential.
 */
export class TokenRegistry {
  readonly #byHash: Map<string, Principal>;

  /** Throws a RangeError naming each bad entry: the rules hold for files and for values alike. */
  constructor(file: TokenFile) {
    const parsed = tokenFileSchema.safeParse(file);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
      throw new RangeError(`invalid ledger tokens\n${lines.join('\n')}`);
    }
    this.#byHash = new Map(parsed.data.tokens.map((t) => [t.hash, { role: t.role, glns: t.glns }]));
  }

  /** The principal of a request, or 401 when the bearer token is missing or unknown. */
  authenticate(req: Request): Principal {
    const header = req.get('authorization');
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const principal = token ? this.#byHash.get(tokenHash(token)) : undefined;
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
