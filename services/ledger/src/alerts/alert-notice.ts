/** One change to an alert that someone must be told about. */
export interface AlertNotice {
  /** raised | updated | healed | escalated */
  kind: 'alert.raised' | 'alert.updated' | 'alert.healed' | 'alert.escalated';
  alertId: string;
  /** Ledger index of the leaf that caused the change (the answer deadline, epoch ms, for escalations); with kind it is unique. */
  seq: number;
  /** GLN-13s of the parties allowed to see it (the pharmacy, the GTIN's manufacturer); regulators see all. */
  audience: string[];
  /** The alert as `GET /v1/alerts/{id}` shows it (JSON; no patient data). */
  alert: Record<string, unknown>;
}
