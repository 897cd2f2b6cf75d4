import { createHash } from 'node:crypto';

/** Where the next page of an EPCIS export starts: the tree size the export is pinned to, and the last leaf read. */
export interface PageCursor {
  size: number;
  after: number;
}

/**
 * The nextPageToken of the EPCIS export: `1.<size>.<after>.<query digest>`, base64url. It is opaque
 * to clients but needs no secret: it only says where to resume, every filter and role check runs
 * again on each page, so a forged token can reach nothing its bearer could not ask for directly. The
 * digest binds it to its query, so a token is refused with any other filter set.
 */
export const pageToken = {
  encode: (cursor: PageCursor, digest: string): string =>
    Buffer.from(`1.${cursor.size}.${cursor.after}.${digest}`, 'utf8').toString('base64url'),
  /** The cursor, or the reason the token is not one for this query. */
  decode(token: string, digest: string): PageCursor | string {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(token)) return 'is not a token this ledger issued';
    const m = /^1\.(0|[1-9][0-9]{0,15})\.(0|[1-9][0-9]{0,15})\.([0-9a-f]{32})$/.exec(
      Buffer.from(token, 'base64url').toString('utf8'),
    );
    if (!m) return 'is not a token this ledger issued';
    if (m[3] !== digest) return 'belongs to a query with other parameters; repeat them unchanged';
    const size = Number(m[1]);
    const after = Number(m[2]);
    if (after >= size) return 'is not a token this ledger issued';
    return { size, after };
  },
};

/** A digest of a query's filters (not its page size), as the token carries it. */
export function queryDigest(filters: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.entries(filters)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}
