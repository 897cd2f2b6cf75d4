import { createHash } from 'node:crypto';
import { RxError } from '@rxledger/runtime';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Who a request comes from: the hosted party a scanner key is bound to, and the scanner's site. */
export interface Scanner {
  party: string;
  /** The site its events happen at unless they say otherwise. */
  site: string;
  /** Every site it may post events for: `site` first, then any its config entry lists in `sites`. */
  sites: readonly string[];
}

/**
 * Why a scanner may not post an event that happened at `site`, or undefined when it may. A scanner
 * is bound to its site: a stolen or misconfigured one cannot speak for another warehouse or counter.
 * @example siteRefusal({ site: 'A', sites: ['A'] }, 'B') // 'this scanner is bound to site A, not B'
 */
export function siteRefusal(scanner: Pick<Scanner, 'site' | 'sites'>, site: string): string | undefined {
  if (scanner.sites.includes(site)) return undefined;
  return scanner.sites.length === 1
    ? `this scanner is bound to site ${scanner.site}, not ${site}`
    : `must be one of this scanner's sites (${scanner.sites.join(', ')}), not ${site}`;
}

/**
 * The form a scanner key is stored in: "sha256:" and the hex SHA-256 of its UTF-8 bytes. Keys are
 * random and long, so a fast unsalted hash is enough to keep them out of config files and memory.
 * @example hashScannerKey('rxs_3q2…') // 'sha256:9f86d08…'
 */
export function hashScannerKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/** A bearer key that is missing or not known; answered 401 (the middleware sets WWW-Authenticate). */
export class UnauthenticatedError extends RxError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message, { status: 401 });
  }
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Express middleware that resolves `Authorization: Bearer <scanner key>` to its Scanner (read it with
 * `scannerOf`). `scanners` maps each key hash to its Scanner (asked per request, so a reloaded configuration counts at once); the key itself is hashed and dropped.
 */
export function scannerAuth(
  realm: string,
  scanners: Pick<ReadonlyMap<string, Scanner>, 'get'>,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (header === undefined) {
      res.setHeader('WWW-Authenticate', `Bearer realm="${realm}"`);
      return next(new UnauthenticatedError('a scanner key is required (Authorization: Bearer <key>)'));
    }
    const match = BEARER.exec(header);
    const scanner = match ? scanners.get(hashScannerKey(match[1]!)) : undefined;
    if (scanner === undefined) {
      // RFC 6750 §3: say which realm and that the token, not the request, is at fault.
      res.setHeader('WWW-Authenticate', `Bearer realm="${realm}", error="invalid_token"`);
      return next(
        new UnauthenticatedError(
          match ? 'unknown scanner key' : 'expected Authorization: Bearer <scanner key>',
        ),
      );
    }
    res.locals.scanner = scanner;
    next();
  };
}

/** The Scanner `scannerAuth` found for this request; throws if the route forgot the middleware. */
export function scannerOf(res: Response): Scanner {
  const scanner = res.locals.scanner as Scanner | undefined;
  if (scanner === undefined) throw new Error('scannerAuth must run before this handler');
  return scanner;
}
