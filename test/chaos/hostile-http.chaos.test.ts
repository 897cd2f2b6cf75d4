// Hostile input over HTTP (issue 19): the partner API of the three partner services and every GET
// route of the ledger, one catalogue row per `it` (support/hostile-http-rows.ts). The system runs as
// separate processes, as `npm start` runs it; a steady counter-verify stream runs alongside. Rows that
// fail name the answer they got; the last `it` holds the run-wide promises: no process exits, no
// answer >= 500, verify p99 within the bound.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeAnswer, HttpDriver, type HttpRow, judgeHttp } from './support/hostile-http.ts';
import { httpRows, KNOWN_SERIAL, SETUP } from './support/hostile-http-rows.ts';
import {
  Tally,
  VERIFY_BASELINE,
  VERIFY_P99_MS,
  VERIFY_PER_SECOND,
  VERIFY_WARMUP,
} from './support/hostile-summary.ts';
import { type HostileSystem, OWN_GTIN, PARTY, startHostileSystem } from './support/hostile-system.ts';
import { quantile, startVerifyStream, type VerifyStreamResult } from './support/hostile-verify-stream.ts';

const ROWS = httpRows();

describe('hostile HTTP input', () => {
  let sys: HostileSystem;
  let http: HttpDriver;
  let stream: ReturnType<typeof startVerifyStream> | undefined;
  let measured: VerifyStreamResult | undefined;
  const tally = new Tally();

  /** Posts a setup request and waits until the ledger accepted every event of it. */
  async function setUp(req: HttpRow['request']): Promise<void> {
    const res = await http.send(req);
    if (res.status !== 202) throw new Error(`setup answered ${describeAnswer(res)}`);
    const ids = (JSON.parse(res.body) as { eventIds: string[] }).eventIds;
    const states = await http.settle(req.service as 'manufacturer', req.auth, ids);
    if (states.some((s) => s !== 'ACCEPTED')) throw new Error(`setup events ended ${states.join(', ')}`);
  }

  beforeAll(async () => {
    sys = await startHostileSystem(inject('kafkaBrokers'));
    http = new HttpDriver(sys);
    await setUp(SETUP);
    stream = startVerifyStream({
      url: `${sys.urls.pharmacy}/v1/verify?gtin=${OWN_GTIN}&serial=${KNOWN_SERIAL}`,
      headers: { authorization: `Bearer ${sys.scannerKeys[PARTY.pharmacy1]}` },
      perSecond: VERIFY_PER_SECOND,
      baseline: VERIFY_BASELINE,
      warmup: VERIFY_WARMUP,
    });
    await stream.baselined;
  });

  afterAll(async () => {
    measured ??= await stream?.stop();
    if (http) {
      console.log(
        tally.table({
          stream: measured,
          exits: sys.exits,
          fiveHundreds: http.serverErrors(),
        }),
      );
    }
    await sys?.stop();
  });

  it.each(ROWS)('[$surface] $name', async (row) => {
    let failure: string | undefined;
    const start = Date.now();
    try {
      for (const req of row.setup ?? []) await setUp(req);
      const answer = await http.send(row.request);
      const twin = row.expected.sameBodyAs ? await http.send(row.expected.sameBodyAs) : undefined;
      failure = judgeHttp(row.expected, answer, twin);
      if (failure !== undefined) failure = `${failure}; answer: ${describeAnswer(answer)}`;
    } catch (err) {
      failure = `could not run: ${(err as Error).message}`;
    }
    tally.add({ surface: row.surface, name: row.name, failure, start, end: Date.now() });
    expect(failure).toBeUndefined();
  });

  it('no process exited, no answer >= 500, and every verify of the steady stream was answered (no stall)', async () => {
    measured = await stream!.stop();
    const p99 = quantile(measured.latencies, 0.99);
    console.log(
      `inputs tried: ${tally.rows.length}; verify stream p50 ${quantile(measured.latencies, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms over ${measured.latencies.length} requests`,
    );
    expect(sys.exits).toEqual([]);
    expect(http.serverErrors()).toEqual([]);
    expect(Object.keys(measured.statuses).filter((s) => s === 'error' || Number(s) >= 500)).toEqual([]);
    expect(measured.latencies.length).toBeGreaterThan(0);
    // The 100 ms p99 is a speed target: measured and printed here, judged in the README's table, never
    // asserted (timings belong to benchmarks). A stall is asserted: a verify unanswered in 5 s is an error.
    console.log(
      `verify p99 ${p99.toFixed(1)} ms against the ${VERIFY_P99_MS} ms target: ${p99 <= VERIFY_P99_MS ? 'met' : 'not met'}`,
    );
  });
});
