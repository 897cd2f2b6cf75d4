import { type RegistryParty } from '../../answers/registry-view.ts';

/** GET /v1/registry's answer. */
export interface RegistryAnswer {
  authorityKey: string;
  parties: RegistryParty[];
}

/** What the ledger says of one event: folded in, refused with its reason, or not seen yet. */
export type EventOutcome =
  | { state: 'ACCEPTED'; index: number }
  | { state: 'REJECTED'; reason: { code: string; message: string } }
  | { state: 'UNKNOWN' };

/** A ledger that could not be asked, or answered with an error: exit status 1, the change's fate unknown. */
export class LedgerError extends Error {}

/** Reads a ledger's folded registry and event states with a partner or regulator token. */
export function registryClient(ledgerUrl: string, token: string) {
  const base = ledgerUrl.replace(/\/+$/, '');
  async function get(path: string): Promise<{ status: number; body: unknown }> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    } catch (e) {
      throw new LedgerError(`cannot reach the ledger at ${base}: ${(e as Error).message}`);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new LedgerError(`${base}${path} answered ${res.status} with non-JSON`);
    }
    return { status: res.status, body };
  }
  const failed = (path: string, r: { status: number; body: unknown }) =>
    new LedgerError(
      `${path} answered ${r.status}: ${(r.body as { error?: { message?: string } }).error?.message ?? JSON.stringify(r.body)}`,
    );
  return {
    async registry(): Promise<RegistryAnswer> {
      const r = await get('/v1/registry');
      if (r.status !== 200) throw failed('GET /v1/registry', r);
      return r.body as RegistryAnswer;
    },
    async outcome(eventId: string, party: string): Promise<EventOutcome> {
      const path = `/v1/events/${encodeURIComponent(eventId)}?party=${party}`;
      const r = await get(path);
      if (r.status === 404) return { state: 'UNKNOWN' };
      if (r.status !== 200) throw failed(`GET ${path}`, r);
      return r.body as EventOutcome;
    },
  };
}

export type RegistryClient = ReturnType<typeof registryClient>;
