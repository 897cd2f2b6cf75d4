// Hostile records produced straight onto the custody topic (issue 19), one catalogue row per `it`
// (support/hostile-topic-rows.ts): each gets its rejection code at GET /v1/rejections, or its place in
// the log. The ledger and the partner services run as separate processes; a steady counter-verify
// stream runs alongside, so a record that freezes the fold or the ledger's event loop shows up there.
// The last `it` holds the run-wide promises: no process exits, no answer >= 500, no verify stalled.
import { SigningKey } from '@rxledger/events';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HttpDriver } from './support/hostile-http.ts';
import { pack } from './support/hostile-items.ts';
import { makerEvent, partyEvent, record, type World } from './support/hostile-records.ts';
import {
  Tally,
  VERIFY_BASELINE,
  VERIFY_P99_MS,
  VERIFY_PER_SECOND,
  VERIFY_WARMUP,
} from './support/hostile-summary.ts';
import { type HostileSystem, OWN_GTIN, PARTY, startHostileSystem } from './support/hostile-system.ts';
import { TopicJudge } from './support/hostile-topic.ts';
import { topicRows } from './support/hostile-topic-rows.ts';
import { quantile, startVerifyStream, type VerifyStreamResult } from './support/hostile-verify-stream.ts';

const ROWS = topicRows();
const KNOWN_SERIAL = 'TKNOWN1';
const DAY = 86_400_000;

describe('hostile records on the custody topic', () => {
  let sys: HostileSystem;
  let http: HttpDriver;
  let judge: TopicJudge;
  let world: World;
  let stream: ReturnType<typeof startVerifyStream> | undefined;
  let measured: VerifyStreamResult | undefined;
  const tally = new Tally();

  /** Produces records that must be accepted before the rows run, and checks that they were. */
  async function mustAccept(values: Uint8Array[]): Promise<void> {
    const offsets = await sys.produce(values);
    if (!(await judge.folded(offsets.at(-1)!))) throw new Error('the ledger did not fold the setup records');
    for (const offset of offsets) {
      const rejection = await judge.rejectionAt(offset);
      if (rejection)
        throw new Error(`setup record at ${offset} rejected: ${rejection.code} ${String(rejection.message)}`);
    }
  }

  beforeAll(async () => {
    sys = await startHostileSystem(inject('kafkaBrokers'));
    http = new HttpDriver(sys);
    judge = new TopicJudge(http);
    // A distributor key the authority registers and then revokes: what a thief of that key holds.
    const stolen = SigningKey.generate();
    const revokedAt = Date.now();
    world = { keys: sys.keys, revoked: { key: stolen, revokedAt } };
    const authority = (changes: unknown[]) =>
      record(world, partyEvent(PARTY.authority, PARTY.authority, { type: 'REGISTRY', changes }));
    await mustAccept([
      record(world, makerEvent({ items: [pack.uri(KNOWN_SERIAL)], lot: 'KL1' })),
      authority([
        {
          kind: 'AddKey',
          gln: PARTY.distributor,
          keyId: stolen.keyId,
          publicKey: stolen.verifyingKey.bytes,
          validFrom: revokedAt - 2 * DAY,
        },
      ]),
      authority([
        { kind: 'RevokeKey', gln: PARTY.distributor, keyId: stolen.keyId, revokedAt, reason: 'stolen' },
      ]),
    ]);
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

  it.each(ROWS)('[topic] $name', async (row) => {
    let failure: string | undefined;
    const start = Date.now();
    try {
      const setup = row.setup?.(world) ?? [];
      if (setup.length > 0) await judge.folded((await sys.produce(setup)).at(-1)!);
      const built = row.record(world);
      const [offset] = await sys.produce([built.value]);
      failure = await judge.judge(offset!, built, row.expected);
    } catch (err) {
      failure = `could not run: ${(err as Error).message}`;
    }
    tally.add({ surface: 'topic', name: row.name, failure, start, end: Date.now() });
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
