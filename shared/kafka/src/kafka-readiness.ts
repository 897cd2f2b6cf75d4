import type { Readiness } from '@rxledger/runtime';
import type { Admin, Kafka } from 'kafkajs';

/**
 * A readiness probe that asks the cluster for metadata, at most once per `cacheMs`, so that a burst
 * of /readyz calls does not become a burst of broker round trips.
 */
export function kafkaReadiness(
  kafka: Kafka,
  cacheMs = 2_000,
): { check(): Promise<Readiness>; close(): Promise<void> } {
  let admin: Admin | undefined;
  let last: { at: number; state: Readiness } | undefined;
  return {
    async check() {
      if (last && Date.now() - last.at < cacheMs) return last.state;
      let state: Readiness;
      try {
        admin ??= kafka.admin({ retry: { retries: 0 } });
        await admin.connect();
        await admin.describeCluster();
        state = { ready: true };
      } catch (err) {
        state = { ready: false, detail: `Kafka unreachable: ${(err as Error).message}` };
      }
      last = { at: Date.now(), state };
      return state;
    },
    async close() {
      await admin?.disconnect().catch(() => {});
      admin = undefined;
    },
  };
}
