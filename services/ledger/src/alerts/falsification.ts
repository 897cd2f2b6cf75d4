import type { AlertCode } from '@rxledger/events';
import type { EntityState } from '../custody/index.ts';

/**
 * The verify alert codes that are potential falsifications (issue 18, as NMVS treats them): a counter
 * verify through the pharmacy service that shows one raises an alert. In priority order: when an
 * answer shows several, the first one is the alert's code. The one place this list lives.
 */
export const FALSIFICATION_CODES = [
  'UNKNOWN_SERIAL',
  'ALREADY_DISPENSED',
  'DECOMMISSIONED',
  'LOT_MISMATCH',
  'EXPIRY_MISMATCH',
  'CUSTODY_MISMATCH',
  'CHAIN_ANOMALY',
] as const satisfies readonly AlertCode[];

/**
 * The potential falsification an answer shows at `at`, if any: UNKNOWN_SERIAL is only ever raised
 * for a known product; ALREADY_DISPENSED counts when another party dispensed the pack (a pharmacy's
 * own rescan is not suspicious); DECOMMISSIONED only when the pack was decommissioned as stolen.
 */
export function falsificationCode(
  alerts: ReadonlyArray<{ code: AlertCode }>,
  state: EntityState | undefined,
  at: string | undefined,
): AlertCode | undefined {
  const shown = new Set(alerts.map((a) => a.code));
  return FALSIFICATION_CODES.find((code) => {
    if (!shown.has(code)) return false;
    if (code === 'ALREADY_DISPENSED') return state?.dispensedAt?.party !== at;
    if (code === 'DECOMMISSIONED') return state?.decommissionReason === 'stolen';
    return true;
  });
}
