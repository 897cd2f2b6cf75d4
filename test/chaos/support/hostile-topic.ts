// Producing one topic row's records and finding out what the ledger made of them: its rejection at
// GET /v1/rejections (found by Kafka offset, which every record has, decodable or not), or its place
// in the log (its first item's provenance, or its lot's recalls).
import type { CustodyEvent } from '@rxledger/events';
import { namedItems } from '@rxledger/events';
import type { HttpDriver } from './hostile-http.ts';
import type { Built, TopicExpect } from './hostile-topic-rows.ts';

/** A stored rejection as GET /v1/rejections lists it. */
interface RejectionRow {
  offset: number;
  code: string;
  party?: string | null;
  [field: string]: unknown;
}

/** The largest stored rejection row a record may cause (finding 6: rows of bounded size). */
export const MAX_REJECTION_ROW_BYTES = 4_096;

export class TopicJudge {
  /** Set once the fold failed to pass a record in time: later rows wait less. */
  stalledAt: number | undefined;

  constructor(readonly http: HttpDriver) {}

  /** Waits until the ledger has folded everything on the topic (readyz: caught up); false on timeout. */
  async folded(offset: number): Promise<boolean> {
    const deadline = Date.now() + (this.stalledAt === undefined ? 30_000 : 3_000);
    while (Date.now() < deadline) {
      const res = await this.http.send({ service: 'ledger', path: '/readyz', auth: 'none' });
      if (res.status === 200) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    this.stalledAt ??= offset;
    return false;
  }

  async rejectionAt(offset: number): Promise<RejectionRow | undefined> {
    const res = await this.http.send({ service: 'ledger', path: '/v1/rejections?limit=1000' });
    if (res.status !== 200)
      throw new Error(`GET /v1/rejections answered ${res.status}: ${res.body.slice(0, 200)}`);
    const rows = (JSON.parse(res.body) as { rejections: RejectionRow[] }).rejections;
    return rows.find((r) => r.offset === offset);
  }

  /** How many times the log holds `event` (by eventId and party). */
  async timesInLog(event: CustodyEvent): Promise<number> {
    const [item] = namedItems(event);
    if (item === undefined && event.type === 'RECALL') {
      const res = await this.http.send({
        service: 'ledger',
        path: `/v1/recalls/scope?gtin=${event.gtin}&lot=${encodeURIComponent(event.lot)}`,
      });
      if (res.status !== 200) return 0;
      return (JSON.parse(res.body) as { recalls: Array<{ reason: string }> }).recalls.filter(
        (r) => r.reason === event.reason,
      ).length;
    }
    if (item === undefined) throw new Error(`no way to find a ${event.type} event in the log`);
    const res = await this.http.send({
      service: 'ledger',
      path: `/v1/provenance?item=${encodeURIComponent(item)}`,
    });
    if (res.status === 404) return 0;
    if (res.status !== 200) throw new Error(`provenance answered ${res.status}: ${res.body.slice(0, 200)}`);
    const timeline = (JSON.parse(res.body) as { timeline: Array<{ eventId: string; party: string }> })
      .timeline;
    return timeline.filter((e) => e.eventId === event.eventId && e.party === event.party).length;
  }

  /** Why the record at `offset` did not get `expected`, or undefined when it did. */
  async judge(offset: number, built: Built, expected: TopicExpect): Promise<string | undefined> {
    if (!(await this.folded(offset))) {
      return `the fold did not pass offset ${offset} in time (stalled${this.stalledAt === offset ? ' here' : ` since offset ${this.stalledAt}`})`;
    }
    const rejection = await this.rejectionAt(offset);
    if ('rejected' in expected) {
      const codes = Array.isArray(expected.rejected) ? expected.rejected : [expected.rejected];
      if (rejection === undefined) {
        const times = built.event ? await this.timesInLog(built.event).catch(() => -1) : -1;
        return `not rejected${times > 0 ? ' (appended to the log)' : ''}, expected ${codes.join(' or ')}`;
      }
      const size = Buffer.byteLength(JSON.stringify(rejection));
      if (!codes.includes(rejection.code as never))
        return `rejected ${rejection.code} (${String(rejection.message).slice(0, 140)}), expected ${codes.join(' or ')}`;
      if (expected.attributed === false && rejection.party)
        return `rejected ${rejection.code} but attributed to party ${rejection.party} although its signature did not verify`;
      if (size > MAX_REJECTION_ROW_BYTES)
        return `rejected ${rejection.code} but its stored row is ${size} bytes (bound ${MAX_REJECTION_ROW_BYTES})`;
      return undefined;
    }
    if (rejection !== undefined)
      return `rejected ${rejection.code}: ${String(rejection.message).slice(0, 160)}`;
    const times = await this.timesInLog(built.event!);
    if (times !== 1) return `in the log ${times} times, expected once`;
    return undefined;
  }
}
