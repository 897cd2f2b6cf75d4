// What rotate-key asks of the partner services: which key each signs with for a party, from its /healthz.
import { UsageError } from './registry-changes.ts';

/** The --service flags: partner service base URLs whose /healthz names each party's signing key. */
export function serviceFlags(values: string[] | undefined): string[] {
  for (const url of values ?? []) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw new UsageError(`--service ${JSON.stringify(url)} is not an http(s) URL`);
    }
  }
  return (values ?? []).map((u) => u.replace(/\/+$/, ''));
}

/**
 * Polls each service's /healthz until it says it signs for `gln` with `keyId`; returns the services
 * that still did not after `timeoutMs` (an unreachable one counts as not yet).
 */
export async function waitForSigningKey(
  services: string[],
  gln: string,
  keyId: string,
  timeoutMs: number,
  out: (line: string) => void,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let behind = services;
  out(`waiting for ${services.join(', ')} to sign for ${gln} with key ${keyId}`);
  for (;;) {
    const states = await Promise.all(behind.map((url) => signingKeyAt(url, gln)));
    behind = behind.filter((_, i) => states[i] !== keyId);
    if (behind.length === 0 || Date.now() > deadline) return behind;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function signingKeyAt(url: string, gln: string): Promise<string | undefined> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
    const body = (await res.json()) as { parties?: Array<{ gln?: string; keyId?: string }> };
    return body.parties?.find((p) => p.gln === gln)?.keyId;
  } catch {
    return undefined;
  }
}
