import { z } from 'zod';
import { RxError } from './errors.ts';

/** Configuration that cannot be used; the message lists every bad variable and why. */
export class ConfigError extends RxError {
  constructor(message: string) {
    super('CONFIG', message);
  }
}

/**
 * Validates a service's environment once, at start (STYLE.md §5). Only `main.ts` files call this;
 * libraries receive the typed result. Throws ConfigError naming every bad variable.
 */
export function readConfig<S extends z.ZodType>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
    return `  ${name}: ${issue.message}${value === undefined ? '' : ` (${gotValue(name, value)})`}`;
  });
  throw new ConfigError(`${service}: invalid configuration\n${lines.join('\n')}`);
}

// Variables whose values are never secret (ports, hosts, paths, durations, names), so a wrong one is
// worth echoing. Anything else (keys, tokens, passwords) may hold a secret pasted in the wrong place,
// and is described by its shape only: a config error goes to logs.
const ECHOED =
  /(^|_)(PORT|HOST|BROKERS|CHANNEL|LEVEL|URL|DIR|FILE|MS|THREADS|ORIGIN|FACTOR|REPLICAS|VERSION|MECHANISM)$/;

function gotValue(name: string, value: string): string {
  if (ECHOED.test(name) && value.length <= 200) return `got '${value}'`;
  return `got a value of ${value.length} characters, not shown`;
}

/** Environment value types shared by every service's config schema. */
export const env = {
  /** A TCP port, 0 meaning any free one. */
  port: (fallback: number) =>
    z.coerce
      .number({ error: 'must be a port number' })
      .int('must be a whole number')
      .min(0)
      .max(65535, 'must be 0-65535')
      .default(fallback),
  /** A comma-separated list of host:port brokers. */
  brokers: () =>
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((b) => b.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'each broker must be host:port')).min(1))
      .optional(),
  host: () => z.string().min(1).default('127.0.0.1'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  channel: () =>
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and -')
      .default('main'),
};
