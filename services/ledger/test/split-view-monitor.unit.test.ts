// The split-view monitor's decisions over in-memory nodes (no HTTP, no files): what it calls a fork,
// what it calls no evidence, what it retries, and that it never forgets a proven fork.
import { Writable } from 'node:stream';
import {
  consistencyProof,
  generateNoteKey,
  leafHash,
  MemoryHashStore,
  parseSignerKey,
  parseVerifierKey,
  signCheckpoint,
  utf8,
} from '@rxledger/tlog';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { type CheckpointSource, SourceError } from '../src/monitor/checkpoint-source.ts';
import {
  createSplitViewMonitor,
  type MonitorEvent,
  SPLIT_VIEW_ALARM,
} from '../src/monitor/split-view-monitor.ts';

const ORIGIN = 'unit.test/split';

/**
 * A node holding a log in memory; `forkAt` makes it hold another history from that leaf on, and
 * `history` makes it serve the notes it signed at earlier sizes (GET /v1/checkpoint?size=N).
 */
function memoryNode(id: string, forkAt = Infinity, history = false) {
  const keys = generateNoteKey(ORIGIN);
  const store = new MemoryHashStore();
  let note: string | undefined;
  const signed = new Map<number, string>();
  let down: 'all' | 'proofs' | false = false;
  const node = {
    vkey: keys.verifierKey,
    grow(n: number) {
      const from = store.size;
      store.append(
        Array.from({ length: n }, (_, i) =>
          leafHash(utf8(`${from + i >= forkAt ? 'forged' : 'leaf'} ${from + i}`)),
        ),
      );
      note = signCheckpoint(
        { origin: ORIGIN, size: store.size, root: store.root() },
        parseSignerKey(keys.signerKey),
      );
      signed.set(store.size, note);
      return node;
    },
    /** Serves `text` as its latest note instead of what it signed. */
    serve(text: string) {
      note = text;
    },
    get note() {
      return note!;
    },
    setDown(value: 'all' | 'proofs' | false) {
      down = value;
    },
    source: {
      id,
      latest: async () => {
        if (down === 'all') throw new SourceError(`${id} is down`);
        return note;
      },
      at: async (size: number) => (history ? signed.get(size) : undefined),
      consistency: async (from: number, to: number) => {
        if (down) throw new SourceError(`${id} is down`);
        return consistencyProof(store, from, to);
      },
    } satisfies CheckpointSource,
  };
  return node;
}

function watch(nodes: ReturnType<typeof memoryNode>[]) {
  const lines: { level: number; msg: string }[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    }),
  );
  const registry = new Registry();
  const events: MonitorEvent[] = [];
  const monitor = createSplitViewMonitor({
    sources: nodes.map((n) => n.source),
    verifiers: nodes.map((n) => parseVerifierKey(n.vkey)),
    origin: ORIGIN,
    log,
    metrics: registry,
    onEvent: (e) => events.push(e),
  });
  const metric = async (name: string) => (await registry.getSingleMetric(name)!.get()).values;
  const alarms = () => lines.filter((l) => l.msg === SPLIT_VIEW_ALARM);
  return { monitor, events, metric, alarms, lines };
}

describe('split-view monitor', () => {
  it('follows two honest nodes as they grow and reports nothing', async () => {
    const [a, b] = [memoryNode('a').grow(5), memoryNode('b').grow(3)];
    const { monitor, alarms } = watch([a, b]);
    await monitor.poll();
    a.grow(4);
    b.grow(9);
    await monitor.poll();
    expect(monitor.inconsistencies()).toEqual([]);
    expect(monitor.readiness()).toEqual({ ready: true });
    expect(alarms()).toEqual([]);
  });

  it('proves a fork at one size at once, alarms once per pair of nodes, and never forgets it', async () => {
    const [a, b] = [memoryNode('a').grow(8), memoryNode('b', 2).grow(8)];
    const { monitor, metric, alarms } = watch([a, b]);
    await monitor.poll();
    const [proven] = monitor.inconsistencies();
    expect(proven!.inconsistency).toMatchObject({ check: 'same-size' });
    expect(proven!.inconsistency.pair.map((c) => c.note).sort()).toEqual([a.note, b.note].sort());
    expect(alarms()).toHaveLength(1);
    expect(alarms()[0]!.level).toBe(50); // pino's error
    expect(await metric('split_view_detected')).toMatchObject([{ value: 1 }]);

    // B keeps growing on its forked history: counted again, alarmed once; A alone stays consistent.
    a.grow(2);
    b.grow(2);
    await monitor.poll();
    expect(alarms()).toHaveLength(1);
    expect(
      (await metric('split_view_inconsistencies_total')).reduce((n, v) => n + v.value, 0),
    ).toBeGreaterThan(1);
    expect(monitor.readiness()).toMatchObject({
      ready: false,
      detail: expect.stringMatching(/^split view between a \(size 8\) and b \(size 8\): two roots at size 8/),
    });
  });

  it('proves a fork across sizes by a failed consistency proof from the node that signed the larger', async () => {
    const [a, b] = [memoryNode('a').grow(6), memoryNode('b', 3).grow(11)];
    const { monitor } = watch([a, b]);
    await monitor.poll();
    const [proven] = monitor.inconsistencies();
    expect(proven!.inconsistency).toMatchObject({ check: 'consistency-proof', proof: { from: 6, to: 11 } });
  });

  it('prefers two notes at one size as evidence when the larger node serves its note at the smaller size', async () => {
    const a = memoryNode('a').grow(6);
    const b = memoryNode('b', 3, true).grow(6).grow(5);
    const { monitor } = watch([a, b]);
    await monitor.poll();
    const [proven] = monitor.inconsistencies();
    expect(proven!.inconsistency).toMatchObject({ check: 'same-size' });
    expect(proven!.inconsistency.pair.map((c) => [c.node, c.checkpoint.size])).toEqual([
      ['a', 6],
      ['b', 6],
    ]);
    expect(proven!.inconsistency.proof).toBeUndefined();
  });

  it('calls a badly signed note no evidence, reports it apart, and proves nothing from it', async () => {
    const [a, b] = [memoryNode('a').grow(8), memoryNode('b').grow(8)];
    const [body, sigs] = [
      b.note.slice(0, b.note.indexOf('\n\n') + 1),
      b.note.slice(b.note.indexOf('\n\n') + 1),
    ];
    // Another root at the same size under B's (now invalid) signature: would be a fork if it counted.
    b.serve(body.replace(/\n[^\n]+\n$/, `\n${Buffer.alloc(32, 7).toString('base64')}\n`) + sigs);
    const { monitor, events, metric, alarms } = watch([a, b]);
    await monitor.poll();
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'unusable', node: 'b', code: 'BAD_SIGNATURE' }),
    );
    expect(monitor.inconsistencies()).toEqual([]);
    expect(alarms()).toEqual([]);
    expect(await metric('split_view_unusable_checkpoints_total')).toMatchObject([
      { value: 1, labels: { code: 'BAD_SIGNATURE' } },
    ]);
    expect(monitor.readiness()).toEqual({ ready: true });
  });

  it('keeps a pair whose proof cannot be fetched and checks it once the node answers', async () => {
    const [a, b] = [memoryNode('a').grow(3), memoryNode('b', 1).grow(9)];
    const { monitor, events } = watch([a, b]);
    b.setDown('proofs');
    await monitor.poll();
    expect(events).toContainEqual(expect.objectContaining({ kind: 'unreachable', node: 'b' }));
    expect(monitor.inconsistencies()).toEqual([]);
    b.setDown(false);
    await monitor.poll(); // nothing new from either node: the waiting pair is checked now
    expect(monitor.inconsistencies()).toHaveLength(1);
    expect(monitor.inconsistencies()[0]!.inconsistency).toMatchObject({ check: 'consistency-proof' });
  });
});
