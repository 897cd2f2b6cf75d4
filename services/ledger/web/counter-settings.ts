// What the counter page does where it is served (GET /counter.json): on the ledger it verifies under a
// pharmacist token; on the pharmacy service it verifies and dispenses under a counter scanner key.
import type { CounterSettings } from '@rxledger/runtime';

export type { CounterSettings };

/** The ledger's counter: what the page assumes when the settings cannot be read. */
export const VERIFY_ONLY: CounterSettings = {
  dispense: false,
  tokenLabel: 'Pharmacist token',
  regulatorPage: true,
};

/** The settings of the origin that served the page; anything unreadable means verify only. */
export async function counterSettings(): Promise<CounterSettings> {
  try {
    const res = await fetch('/counter.json', { signal: AbortSignal.timeout(5_000) });
    const body = (await res.json()) as Partial<CounterSettings>;
    const { dispense, tokenLabel, regulatorPage } = body;
    if (res.status !== 200 || typeof dispense !== 'boolean' || typeof tokenLabel !== 'string')
      return VERIFY_ONLY;
    return { dispense, tokenLabel, regulatorPage: regulatorPage === true };
  } catch {
    return VERIFY_ONLY;
  }
}
