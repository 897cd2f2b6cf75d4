import type { AlertCode } from '@rxledger/events';
import { parseExpiry } from '@rxledger/gs1';
import type { Role } from '../auth/principal.ts';
import { type EntityState, undoableDispense } from '../custody/index.ts';

export { ALERT_CODES, type AlertCode } from '@rxledger/events';

export interface VerifyQuery {
  gtin: string;
  serial: string;
  /** As scanned, when the scan carried it. */
  lot?: string;
  expiry?: string;
}

export interface VerifyAnswer {
  verdict: 'VERIFIED' | 'SUSPECT' | 'UNKNOWN';
  dispensable: boolean;
  status: 'ACTIVE' | 'IN_TRANSIT' | 'DISPENSED' | 'DECOMMISSIONED' | 'RECALLED' | 'UNKNOWN';
  product: { gtin: string; serial: string; lot?: string; expiry?: string };
  alerts: Array<{ code: AlertCode; message: string }>;
  /** Not dispensable because of an alert record (alerts/alert-hold.ts): open, or a confirmed falsification. */
  onHold?: 'ALERT_OPEN' | 'CONFIRMED_FALSIFICATION';
  /** At the pharmacy that raised it: its open alert on this pack. */
  alert?: { id: string; status: string; code: AlertCode };
  /** The potential falsification a counter verify raises an alert for (alerts/falsification.ts). */
  falsification?: AlertCode;
  /** At the pharmacy that dispensed it, while it may still undo that: which dispense, and until when. */
  undo?: { dispense: string; until: string };
}

export interface VerifyContext {
  /** Today's date as YYYY-MM-DD (UTC): expiry is judged by calendar day. */
  today: string;
  /** The party at whose counter or dock the pack is scanned, if any. */
  at?: string;
  role: Role;
  /** Whether any pack of the GTIN was ever commissioned. */
  productKnown: boolean;
  /** Now, epoch ms: whether the dispense may still be undone (`undo`) is judged by it. */
  now?: number;
}

// A mismatch between what is in hand and what was signed, or evidence that breaks the custody rules,
// is what falsified or diverted packs look like: those make the verdict SUSPECT.
const SUSPECT: ReadonlySet<AlertCode> = new Set([
  'LOT_MISMATCH',
  'EXPIRY_MISMATCH',
  'ALREADY_DISPENSED',
  'DECOMMISSIONED',
  'CUSTODY_MISMATCH',
  'CHAIN_ANOMALY',
]);

// A module function rather than a closure in judgeVerify: the services run under tsx, which names
// each closure with a defineProperty call on every run of the function that makes it.
function raise(alerts: VerifyAnswer['alerts'], code: AlertCode, message: string): void {
  alerts.push({ code, message });
}

/**
 * The answer to a pack scanned at a counter or dock: genuine? dispensable? why not? Pure: the pack's
 * derived state in, the answer out. Only a regulator's alerts name other parties.
 */
export function judgeVerify(
  q: VerifyQuery,
  state: EntityState | undefined,
  ctx: VerifyContext,
): VerifyAnswer {
  const alerts: VerifyAnswer['alerts'] = [];
  const detail = ctx.role === 'regulator';

  if (!state?.exists) {
    // A serial its manufacturer never commissioned, of a product we know, is the classic counterfeit:
    // NMVS raises it as a potential falsification (DESIGN §5). Only an unknown product is UNKNOWN.
    if (!ctx.productKnown)
      raise(alerts, 'UNKNOWN_PRODUCT', `no pack of GTIN ${q.gtin} was ever commissioned`);
    else raise(alerts, 'UNKNOWN_SERIAL', `serial ${q.serial} of GTIN ${q.gtin} was never commissioned`);
    const verdict = ctx.productKnown ? 'SUSPECT' : 'UNKNOWN';
    return { verdict, dispensable: false, status: 'UNKNOWN', product: { ...q }, alerts };
  }

  if (q.lot !== undefined && state.lot !== undefined && q.lot !== state.lot) {
    raise(
      alerts,
      'LOT_MISMATCH',
      `the scanned lot ${q.lot} is not the lot this serial was commissioned with`,
    );
  }
  if (q.expiry !== undefined && state.expiry !== undefined && q.expiry !== state.expiry) {
    raise(
      alerts,
      'EXPIRY_MISMATCH',
      `the scanned expiry ${q.expiry} is not the expiry this serial was commissioned with`,
    );
  }
  const expiry = state.expiry ?? q.expiry;
  const expires =
    expiry === undefined ? undefined : parseExpiry(expiry, new Date(`${ctx.today}T00:00:00Z`)).date;
  if (expires !== undefined && expires < ctx.today)
    raise(alerts, 'EXPIRED', `the pack expired on ${expires}`);
  if (state.status === 'DISPENSED') {
    const when = state.dispensedAt
      ? ` on ${new Date(state.dispensedAt.eventTime).toISOString().slice(0, 10)}`
      : '';
    raise(
      alerts,
      'ALREADY_DISPENSED',
      `the pack was already dispensed${when}${detail && state.dispensedAt ? ` by ${state.dispensedAt.party}` : ''}`,
    );
  }
  if (state.status === 'DECOMMISSIONED') {
    raise(
      alerts,
      'DECOMMISSIONED',
      `the pack was decommissioned (${state.decommissionReason ?? 'no reason given'})`,
    );
  }
  if (state.recalled) raise(alerts, 'RECALLED', `the pack's lot was recalled: ${state.recalled.reason}`);
  if (ctx.at !== undefined && state.status !== 'DISPENSED' && state.status !== 'DECOMMISSIONED') {
    const here =
      state.custodian === ctx.at || (state.status === 'IN_TRANSIT' && state.inTransit?.to === ctx.at);
    if (!here) {
      raise(
        alerts,
        'CUSTODY_MISMATCH',
        detail
          ? `the ledger has the pack with ${state.custodian ?? 'nobody'}${state.inTransit ? ` in transit to ${state.inTransit.to}` : ''}, not ${ctx.at}`
          : 'the ledger does not have this pack at or on its way to your premises',
      );
    }
  }
  if (state.anomalies.length > 0) {
    const codes = [...new Set(state.anomalies.map((a) => a.code))];
    raise(alerts, 'CHAIN_ANOMALY', `its custody history breaks the rules: ${codes.join(', ')}`);
  }

  const status: VerifyAnswer['status'] =
    state.recalled && (state.status === 'ACTIVE' || state.status === 'IN_TRANSIT')
      ? 'RECALLED'
      : state.status;
  const verdict = alerts.some((a) => SUSPECT.has(a.code)) ? 'SUSPECT' : 'VERIFIED';
  const dispensable =
    verdict === 'VERIFIED' && status === 'ACTIVE' && state.kind === 'pack' && alerts.length === 0;
  const answer: VerifyAnswer = {
    verdict,
    dispensable,
    status,
    product: { gtin: q.gtin, serial: q.serial, lot: state.lot ?? q.lot, expiry: state.expiry ?? q.expiry },
    alerts,
  };
  const undo =
    ctx.at === undefined || ctx.now === undefined ? undefined : undoableDispense(state, ctx.at, ctx.now);
  if (undo !== undefined)
    answer.undo = { dispense: undo.dispense, until: new Date(undo.until).toISOString() };
  return answer;
}
