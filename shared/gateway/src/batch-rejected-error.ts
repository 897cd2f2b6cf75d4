import { RxError } from '@rxledger/runtime';

/** One problem with one event of a batch; `index` is its position in `events`, absent for the batch. */
export interface BatchIssue {
  index?: number;
  field?: string;
  eventId?: string;
  reason: string;
}

/** How many issues one answer lists: a 10,000-event batch of bad scans must not become a 50 MB reply. */
export const MAX_ISSUES_LISTED = 1_000;

/**
 * A batch refused as a whole, nothing published: 400 (invalid), 403 (event type not taken here) or
 * 409 (an eventId reused with other content). Never retriable as is.
 */
export class BatchRejectedError extends RxError {
  readonly issues: BatchIssue[];

  constructor(code: string, status: 400 | 403 | 409, issues: BatchIssue[], summary: string) {
    super(code, summary, { status });
    this.issues = issues;
  }

  /** The JSON answer: `{ error, errors: [{ index, field | eventId, reason }] }`, capped. */
  toJSON(): Record<string, unknown> {
    const listed = this.issues.slice(0, MAX_ISSUES_LISTED);
    return {
      error: { code: this.code, message: this.message, retriable: false },
      errors: listed,
      ...(this.issues.length > listed.length ? { errorsNotListed: this.issues.length - listed.length } : {}),
    };
  }
}
