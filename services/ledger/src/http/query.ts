import { ValidationError } from '@rxledger/runtime';
import type { z } from 'zod';

/** Parses a request's query with `schema`, or throws a 400 naming each bad parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(query)', reason: i.message })),
  );
}
