// /metrics serves the registry a service hands in, so parts built before the routes can count on it.
import { Counter, Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpService, createLogger, type HttpService } from '../src/index.ts';

describe('HttpServiceOptions.metrics', () => {
  let service: HttpService | undefined;
  afterAll(() => service?.stop());

  it('serves the given registry, with the counts made before the service existed and its own labels', async () => {
    const metrics = new Registry();
    new Counter({
      name: 'early_things_total',
      help: 'counted before the HTTP shell',
      registers: [metrics],
    }).inc(3);
    service = createHttpService({
      name: 'metrics-test',
      host: '127.0.0.1',
      port: 0,
      log: createLogger({ service: 'metrics-test', level: 'silent' }),
      metrics,
    });
    expect(service.metrics).toBe(metrics);
    const url = await service.start();
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toContain('early_things_total{service="metrics-test"} 3');
    expect(text).toContain('http_requests_total');
  });
});
