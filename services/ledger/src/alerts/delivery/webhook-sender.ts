import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { hostOf, resolveWebhookAddress, type WebhookUrlPolicy } from './webhook-url.ts';

/** What one POST to an endpoint came to. Any failure is worth another try later (the outbox bounds them). */
export type SendResult = { ok: true } | { ok: false; reason: string };

/**
 * POSTs `body` to `url` once: the host resolved and checked against `policy` first and the connection
 * made to that very address; redirects are not followed (a 3xx could point anywhere) and the answer's
 * body is not read. A 2xx within `timeoutMs` is success; `signal` ends the attempt at once. Never throws.
 */
export async function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  opts: { policy: WebhookUrlPolicy; timeoutMs: number; signal: AbortSignal },
): Promise<SendResult> {
  let address: string;
  const url = new URL(rawUrl);
  let timer: NodeJS.Timeout | undefined;
  try {
    // A resolver that never answers must not hold the endpoint's slot past the attempt's bound either.
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no address within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    });
    address = await Promise.race([resolveWebhookAddress(url, opts.policy), late]);
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
  const host = hostOf(url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request({
      protocol: url.protocol,
      host: address,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      // The certificate is checked against the name the partner registered, not the address.
      servername: isIP(host) ? undefined : host,
      agent: false,
      timeout: opts.timeoutMs,
      headers: {
        ...headers,
        host: url.host,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'rxledger-alert-delivery/1',
      },
    });
    const settle = (r: SendResult) => {
      clearTimeout(deadline);
      req.destroy();
      resolve(r);
    };
    // `timeout` above bounds idle time only; this bounds the whole exchange.
    const deadline = setTimeout(
      () => settle({ ok: false, reason: `no answer within ${opts.timeoutMs} ms` }),
      opts.timeoutMs,
    );
    const abort = () => settle({ ok: false, reason: 'the node is stopping' });
    if (opts.signal.aborted) abort();
    opts.signal.addEventListener('abort', abort, { once: true });
    req.on('close', () => opts.signal.removeEventListener('abort', abort));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      settle(status >= 200 && status < 300 ? { ok: true } : { ok: false, reason: `answered ${status}` });
    });
    req.on('timeout', () => settle({ ok: false, reason: `no answer within ${opts.timeoutMs} ms` }));
    req.on('error', (err) =>
      settle({
        ok: false,
        reason: `connection failed: ${(err as NodeJS.ErrnoException).code ?? err.message}`,
      }),
    );
    req.end(body);
  });
}
