/**
 * Errors that say what went wrong, where, and whether trying again can help (STYLE.md §4).
 * `code` is stable and machine-readable; `status` is the HTTP status an adapter answers with;
 * `retriable` is the only thing the retry helper looks at.
 */
export class RxError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retriable: boolean;

  constructor(
    code: string,
    message: string,
    opts: { status?: number; retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = opts.status ?? 500;
    this.retriable = opts.retriable ?? false;
  }
}

/** One problem with one input field: `field` is a path such as `events[3].items[0]`. */
export interface FieldIssue {
  field: string;
  reason: string;
}

/** Input that failed validation; never retriable, answered with 400. */
export class ValidationError extends RxError {
  readonly issues: FieldIssue[];

  /** `code` names the rule more precisely than VALIDATION where a client may act on it (BEYOND_LOG). */
  constructor(issues: FieldIssue[], message?: string, code = 'VALIDATION') {
    super(code, message ?? issues.map((i) => `${i.field}: ${i.reason}`).join('; '), { status: 400 });
    this.issues = issues;
  }
}

/** A dependency (Kafka, the ledger) cannot take work now; answered with 503 + Retry-After. */
export class UnavailableError extends RxError {
  readonly retryAfterSeconds: number;

  constructor(message: string, opts: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super('UNAVAILABLE', message, { status: 503, retriable: true, cause: opts.cause });
    this.retryAfterSeconds = opts.retryAfterSeconds ?? 5;
  }
}

/**
 * A state that must never occur: a stored tree or registry that no longer matches what was folded.
 * Going on would sign checkpoints over it, so the process-level handlers end the process on it
 * (exit code 70); a restart rebuilds the state from the database and the topic.
 */
export class InvariantViolation extends RxError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('INVARIANT_VIOLATION', message, { status: 500, cause: opts.cause });
  }
}

/** Whether `err` says that trying the same thing again may succeed. */
export function isRetriable(err: unknown): boolean {
  if (err instanceof RxError) return err.retriable;
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}
