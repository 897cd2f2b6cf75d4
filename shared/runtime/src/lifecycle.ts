import { InvariantViolation } from './errors.ts';
import type { Logger } from './logger.ts';

/** What STYLE.md §6 calls a service: a value with start and stop. */
export interface Service {
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

/** The exit code of a process ended by an InvariantViolation (EX_SOFTWARE). */
export const INVARIANT_EXIT_CODE = 70;

let installed = false;

/**
 * Process-level handlers for what escaped every other handler, installed once per process by
 * runUntilStopped. What ends the process, and why:
 *
 * - An InvariantViolation, thrown or rejected anywhere: the process exits with code 70 at once,
 *   without stop(), which would sign a checkpoint over the broken state. Restarting rebuilds it.
 * - Any other uncaught exception or unhandled rejection is logged and the process goes on. Request
 *   handlers never get here (the HTTP shell answers their errors with 500); what does is a stray
 *   callback or promise, and losing one piece of work is better than stopping every scanner and
 *   pharmacist. The fold commits a batch and its offset in one transaction, so no error can leave
 *   half a batch behind to resume from.
 */
export function installProcessHandlers(log: Logger): void {
  if (installed) return;
  installed = true;
  const escaped = (err: unknown, origin: string) => {
    if (err instanceof InvariantViolation) {
      log.fatal({ err, origin }, `invariant violated; exiting: ${err.message}`);
      process.exit(INVARIANT_EXIT_CODE);
    }
    log.error({ err, origin }, `${origin}; the process goes on`);
  };
  process.on('uncaughtException', (err) => escaped(err, 'uncaught exception'));
  process.on('unhandledRejection', (reason) => escaped(reason, 'unhandled rejection'));
}

/**
 * Runs a service until SIGINT, SIGTERM, or the parent that forked it with an IPC channel goes away
 * (so a supervisor killed with SIGKILL leaves no orphan), then stops it and exits. Installs the
 * process-level handlers first (installProcessHandlers says which errors end the process).
 */
export async function runUntilStopped(service: Service, log: Logger): Promise<void> {
  installProcessHandlers(log);
  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, 'stopping');
    const timer = setTimeout(() => {
      log.error('stop took longer than 20 s; exiting anyway');
      process.exit(1);
    }, 20_000);
    try {
      await service.stop();
      clearTimeout(timer);
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'stop failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  if (process.connected) process.on('disconnect', () => void shutdown('parent went away'));
  try {
    await service.start();
  } catch (err) {
    log.fatal({ err }, 'start failed');
    process.exit(1);
  }
}

/**
 * Says where a service listens: in its log, and to a supervisor that forked it with an IPC channel,
 * which must not depend on the log level to learn the URL.
 */
export function announceListening(name: string, url: string, log: Logger): void {
  log.info({ url }, `${name} listening on ${url}`);
  process.send?.({ type: 'listening', name, url });
}
