import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Paths that may hold secrets. Logs are read by many people; keys, tokens and signatures of
 * scanner credentials never appear in them, even when a caller logs a whole request or config.
 */
const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'token',
  '*.token',
  'secretKey',
  '*.secretKey',
  'privateKey',
  '*.privateKey',
  'scannerKey',
  '*.scannerKey',
];

/** A structured JSON logger for one service; `level` 'silent' turns it off (tests). */
export function createLogger(opts: { service: string; level?: string }): Logger {
  return pino({
    name: opts.service,
    level: opts.level ?? 'info',
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { service: opts.service },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
