// JSON request bodies: a nesting bound checked before parsing, and every bad body a 4xx naming why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHttpService,
  createLogger,
  exceedsJsonDepth,
  type HttpService,
  jsonBody,
  MAX_JSON_DEPTH,
} from '../src/index.ts';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('JSON bodies', () => {
  let service: HttpService;
  let url: string;
  beforeAll(async () => {
    service = createHttpService({
      name: 'json-test',
      host: '127.0.0.1',
      port: 0,
      log: createLogger({ service: 'json-test', level: 'silent' }),
      routes: (app) => {
        app.post('/echo', jsonBody({ limit: '4mb' }), (req, res) => {
          res.json({ got: typeof req.body });
        });
      },
    });
    url = await service.start();
  });
  afterAll(() => service?.stop());

  const post = async (body: string, contentType = 'application/json') => {
    const res = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
  };

  it(`takes bodies nested ${MAX_JSON_DEPTH} deep and refuses deeper ones with 400 JSON_TOO_DEEP`, async () => {
    expect((await post(`{"a":${nested(MAX_JSON_DEPTH - 1)}}`)).status).toBe(200);
    for (const depth of [MAX_JSON_DEPTH + 1, 1_000_000]) {
      const { status, body } = await post(`{"events":${nested(depth - 1)}}`);
      expect(status, `depth ${depth}`).toBe(400);
      expect(body.error).toEqual({
        code: 'JSON_TOO_DEEP',
        message: `the JSON body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
      });
    }
  });

  it('does not count brackets inside strings, escaped quotes included', async () => {
    expect((await post(JSON.stringify({ a: '['.repeat(1_000), b: '"{{{{'.repeat(100) }))).status).toBe(200);
    expect(exceedsJsonDepth(Buffer.from(JSON.stringify(['\\"[[['])), 1)).toBe(false);
    expect(exceedsJsonDepth(Buffer.from('[["\\\\"]]'), 1)).toBe(true);
  });

  it('answers every body it cannot read with a 4xx and a code, never 500', async () => {
    expect(await post('{"a":')).toMatchObject({ status: 400, body: { error: { code: 'BAD_JSON' } } });
    expect(await post('{"a":1}}')).toMatchObject({ status: 400, body: { error: { code: 'BAD_JSON' } } });
    expect(await post('"just a string"')).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_JSON' } },
    });
    expect(await post('{"a":1}', 'application/json; charset=latin1')).toMatchObject({
      status: 415,
      body: { error: { code: 'UNSUPPORTED_CHARSET' } },
    });
    expect(await post(`{"a":"${'x'.repeat(5 * 1024 * 1024)}"}`)).toMatchObject({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE' } },
    });
  });
});
