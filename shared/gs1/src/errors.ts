/** Stable, machine-readable reasons an identifier or scan is rejected. */
export type Gs1ErrorCode =
  | 'BAD_CHECK_DIGIT'
  | 'BAD_LENGTH'
  | 'BAD_CHARSET'
  | 'BAD_DATE'
  | 'BAD_VALUE'
  | 'UNKNOWN_AI'
  | 'BAD_SYNTAX'
  | 'BAD_URI'
  | 'BAD_SYMBOLOGY'
  | 'DUPLICATE_AI'
  | 'AI_CONFLICT'
  | 'MISSING_AI'
  | 'TOO_MANY_AIS'
  | 'NOT_AN_ITEM'
  | 'NOT_CANONICAL'
  | 'TOO_LONG';

/**
 * A GS1 identifier or scan that is malformed. Never retriable (the same input always fails the same
 * way), answered with 400; `ai` names the Application Identifier at fault when there is one.
 */
export class Gs1Error extends Error {
  readonly code: Gs1ErrorCode;
  readonly ai?: string;
  readonly status = 400;
  readonly retriable = false;

  constructor(code: Gs1ErrorCode, message: string, ai?: string) {
    super(message);
    this.name = 'Gs1Error';
    this.code = code;
    if (ai !== undefined) this.ai = ai;
  }
}

/** Prefixes a message with the AI it concerns, in the `AI (01): ...` form people know from GS1 tools. */
export function aiError(code: Gs1ErrorCode, ai: string, message: string): Gs1Error {
  return new Gs1Error(code, `AI (${ai}): ${message}`, ai);
}

/** Quotes one character for a message, spelling out invisible ones (GS, space, controls). */
export function showChar(c: string): string {
  if (c === '\u001d') return 'GS (ASCII 29)';
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `ASCII ${code}`;
  if (c === ' ') return "' ' (space)";
  return `'${c}'`;
}
