import { fromBase64 } from '@rxledger/tlog';

/**
 * Where a split-view monitor reads one ledger node's view of the log: its latest signed checkpoint and
 * consistency proofs between sizes it signed. A source is not trusted: every note is verified against
 * the monitor's keys and every proof against the two signed roots it connects.
 */
export interface CheckpointSource {
  /** Names the node in output, metrics and evidence (its base URL, or `self` for a node's own store). */
  readonly id: string;
  /** The node's latest signed checkpoint note; undefined while it has signed none. */
  latest(): Promise<string | undefined>;
  /**
   * The note the node signed at exactly `size`, if it serves one (`GET /v1/checkpoint?size=N`, 404 for
   * a size it never signed; a node that ignores the parameter answers its latest, which the monitor
   * tells apart by its size). Undefined when it has none.
   */
  at(size: number): Promise<string | undefined>;
  /** The RFC 9162 consistency proof from tree size `from` to `to` (both sizes the node signed). */
  consistency(from: number, to: number): Promise<Uint8Array[]>;
}

/** A fetch that failed or answered something unreadable: the node may be down, try again later. */
export class SourceError extends Error {
  readonly retriable = true;
}

/**
 * A ledger node over HTTP: `GET /v1/checkpoint` and `GET /v1/proofs/consistency` (DESIGN §5).
 * Each request gives up after `timeoutMs`, so one hung node cannot stall the others' checks.
 */
export function httpCheckpointSource(baseUrl: string, timeoutMs = 5_000): CheckpointSource {
  const base = baseUrl.replace(/\/+$/, '');
  const get = async (path: string): Promise<Response> => {
    try {
      return await fetch(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new SourceError(`${base}${path}: ${(err as Error).message}`);
    }
  };
  return {
    id: base,
    async latest() {
      const res = await get('/v1/checkpoint');
      if (res.status === 503) return undefined; // no checkpoint signed yet
      if (!res.ok) throw new SourceError(`${base}/v1/checkpoint answered ${res.status}`);
      return res.text();
    },
    async at(size) {
      const res = await get(`/v1/checkpoint?size=${size}`);
      if (res.status === 404 || res.status === 503) return undefined;
      if (!res.ok) throw new SourceError(`${base}/v1/checkpoint?size=${size} answered ${res.status}`);
      return res.text();
    },
    async consistency(from, to) {
      const path = `/v1/proofs/consistency?from=${from}&to=${to}`;
      const res = await get(path);
      if (!res.ok) throw new SourceError(`${base}${path} answered ${res.status}: ${await res.text()}`);
      const body = (await res.json().catch(() => undefined)) as { proof?: unknown } | undefined;
      if (!Array.isArray(body?.proof) || !body.proof.every((h) => typeof h === 'string')) {
        throw new SourceError(`${base}${path}: the answer has no proof array of base64 strings`);
      }
      try {
        return (body.proof as string[]).map((h, i) => fromBase64(h, `proof[${i}]`));
      } catch (err) {
        throw new SourceError(`${base}${path}: ${(err as Error).message}`);
      }
    },
  };
}
