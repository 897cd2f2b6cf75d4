import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConfigError, env, readConfig } from '../src/config.ts';

const schema = z.object({
  PORT: env.port(7100),
  AUTHORITY_PUBLIC_KEY: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a base64 Ed25519 public key'),
});

function messageOf(vars: NodeJS.ProcessEnv): string {
  try {
    readConfig('ledger', schema, vars);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfig', () => {
  it('echoes a wrong value that cannot be secret, and only the shape of one that might be', () => {
    const d = 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A';
    const message = messageOf({ PORT: 'http', AUTHORITY_PUBLIC_KEY: d });
    expect(message).toContain("PORT: must be a port number (got 'http')");
    expect(message).toContain(
      'AUTHORITY_PUBLIC_KEY: must be a base64 Ed25519 public key (got a value of 43 characters, not shown)',
    );
    expect(message).not.toContain(d);
  });
});
