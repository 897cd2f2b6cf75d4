export { distEntry, runsBuilt } from './built.ts';
export { ConfigError, env, readConfig } from './config.ts';
export {
  type FieldIssue,
  InvariantViolation,
  isRetriable,
  RxError,
  UnavailableError,
  ValidationError,
} from './errors.ts';
export {
  createHttpService,
  type HttpService,
  type HttpServiceOptions,
  type Readiness,
  sendError,
  sendJson,
} from './http-service.ts';
export { exceedsJsonDepth, jsonBody, MAX_JSON_DEPTH } from './json-body.ts';
export {
  announceListening,
  INVARIANT_EXIT_CODE,
  installProcessHandlers,
  runUntilStopped,
  type Service,
} from './lifecycle.ts';
export { createLogger, type Logger } from './logger.ts';
export { backoffDelayMs, pause, type RetryOptions, type RetryTiming, retry } from './retry.ts';
export { WorkSlices } from './work-slices.ts';
export { type CounterSettings, PAGE_CSP, type WebSite, webPages } from './web-pages.ts';
export { createProgress, type Progress, type ProgressOptions, type ProgressStream } from './progress.ts';
