import type { Logger } from './logger.ts';

/** What STYLE.md §6 calls a service: a value with start and stop. */
export interface Service {
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Runs a service until SIGINT, SIGTERM, or the parent that forked it with an IPC channel goes away
 * (so a supervisor killed with SIGKILL leaves no orphan), then stops it and exits.
 */
export async function runUntilStopped(service: Service, log: Logger): Promise<void> {
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
