/**
 * Waits for a condition, never for a moment: polls `probe` until it returns something other than
 * undefined or false, and fails, naming `what` and the last state `describe` gives, if `timeoutMs`
 * passes or `abort` says the wait is hopeless (a child process that exited, say).
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  opts: {
    timeoutMs?: number;
    pollMs?: number;
    abort?: () => string | undefined;
    describe?: () => string;
  } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    const hopeless = opts.abort?.();
    const state = opts.describe ? ` (${opts.describe()})` : '';
    if (hopeless !== undefined) throw new Error(`gave up waiting for ${what}: ${hopeless}${state}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${state}`);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 20));
  }
}
