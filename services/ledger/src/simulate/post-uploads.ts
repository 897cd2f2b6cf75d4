import { pause, RxError, retry } from '@rxledger/runtime';
import type { Upload } from './schedule-uploads.ts';
import type { SimAccess } from './sim-network.ts';

/** Progress of a long command: how much is done, of how much, at what rate per second. */
export interface Progress {
  done: number;
  total: number;
  rate: number;
}

export interface PostOptions {
  /** Events per second at most (0: as fast as the services take them). */
  rate: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

const RETRY = { attempts: 8, baseDelayMs: 250, maxDelayMs: 5_000 };

/**
 * Posts every upload, in order, to the partner service of its scanner with that scanner's key, at
 * `rate` events per second at most. Returns once each was acknowledged (202: in Kafka, not yet folded).
 * A 503 or a refused connection is retried with backoff; anything else is a plan or setup error
 * and throws with the service's answer.
 */
export async function postUploads(uploads: Upload[], access: SimAccess, opts: PostOptions): Promise<void> {
  const total = uploads.reduce((n, u) => n + u.events.length, 0);
  const started = Date.now();
  let done = 0;
  for (const upload of uploads) {
    if (opts.signal?.aborted) return;
    await retry(() => postOnce(upload, access), { ...RETRY, signal: opts.signal });
    done += upload.events.length;
    const elapsed = (Date.now() - started) / 1000;
    opts.onProgress?.({ done, total, rate: elapsed > 0 ? done / elapsed : 0 });
    if (opts.rate > 0) await pause(started + (done / opts.rate) * 1000 - Date.now(), opts.signal);
  }
}

async function postOnce(upload: Upload, access: SimAccess): Promise<void> {
  const url = `${access.serviceUrl[upload.kind]}/v1/events`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${scannerKey(access, upload.site)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ events: upload.events }),
    });
  } catch (e) {
    throw new RxError('UNREACHABLE', `${url}: ${(e as Error).message}`, { retriable: true });
  }
  if (res.status === 202) return;
  const body = await res.text();
  throw new RxError(
    'POST_REFUSED',
    `${url} (scanner at ${upload.site}) answered ${res.status}: ${body.slice(0, 500)}`,
    {
      retriable: res.status === 503,
    },
  );
}

function scannerKey(access: SimAccess, site: string): string {
  const key = access.scannerKey.get(site);
  if (!key) throw new Error(`credentials: no scanner key for site ${site}`);
  return key;
}

/**
 * Waits until the ledger has folded the upload's last event (ACCEPTED or REJECTED), asked through
 * the partner service that posted it: the topic has one total order, so everything posted before it
 * is folded too. Throws after `timeoutMs`.
 */
export async function waitFolded(
  upload: Upload,
  access: SimAccess,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const id = upload.events.at(-1)!.eventId;
  const url = `${access.serviceUrl[upload.kind]}/v1/events/${encodeURIComponent(id)}`;
  const headers = { authorization: `Bearer ${scannerKey(access, upload.site)}` };
  const deadline = Date.now() + timeoutMs;
  while (!signal?.aborted) {
    const res = await fetch(url, { headers }).catch(() => undefined);
    const state = res?.ok ? ((await res.json()) as { state?: string }).state : undefined;
    if (state === 'ACCEPTED' || state === 'REJECTED') return;
    if (Date.now() > deadline)
      throw new Error(`the ledger has not folded event ${id} after ${timeoutMs / 1000} s`);
    await pause(200, signal);
  }
}
