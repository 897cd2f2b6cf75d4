import { ValidationError } from '@rxledger/runtime';
import { z } from 'zod';

/** Parses a request's query with `schema`, or throws a 400 naming each bad parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    parsed.error.issues.flatMap((i) =>
      // An unknown parameter is named itself, not the query as a whole.
      i.code === 'unrecognized_keys'
        ? i.keys.map((key) => ({ field: key, reason: 'is not a parameter of this route' }))
        : [{ field: i.path.join('.') || '(query)', reason: i.message }],
    ),
  );
}

/**
 * A numeric query parameter: a canonical non-negative decimal integer between `min` and `max`
 * (default 0 and 2^53 - 1). `Number()` would take "", "0x10", "1e1", " 7" and "07"; two spellings of
 * one number are two cache keys and a way round filters, so only the one canonical form is read.
 * @example z.object({ index: queryInteger('index') }).parse({ index: '17' }) // { index: 17 }
 */
export function queryInteger(name: string, bounds: { min?: number; max?: number } = {}) {
  const min = bounds.min ?? 0;
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  return z
    .string({ error: `${name} must be a whole number` })
    .regex(/^(0|[1-9][0-9]{0,15})$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`))
    .describe(`decimal digits, ${min} to ${max}`);
}
