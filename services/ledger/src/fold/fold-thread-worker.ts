// The fold thread's own code (started by fold-thread.ts through fold-thread-entry.mjs): reads the
// custody topic, checks signatures ahead of the fold on its signature workers, folds into the node's
// database and commits. The thread that answers queries reads the same database file and never waits
// for a batch. Talks to its parent only through FoldThreadRequest and FoldThreadMessage.
import { setImmediate } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { nodeEd25519, VerifyingKey } from '@rxledger/events';
import { createKafkaClient, fromPlainSecurity } from '@rxledger/kafka';
import { createLogger, INVARIANT_EXIT_CODE, InvariantViolation } from '@rxledger/runtime';
import { type ConsumedRecord, type Prechecked, precheck } from '../intake/precheck.ts';
import { SignaturePool } from '../intake/signature-pool.ts';
import { createTopicConsumer } from '../intake/topic-consumer.ts';
import { LedgerFolder } from './ledger-folder.ts';
import { openLedgerDb } from '../store/ledger-db.ts';
import { LedgerStore } from '../store/ledger-store.ts';
import type { FoldThreadData, FoldThreadMessage, FoldThreadRequest } from './fold-thread.ts';

/** Work the fold does before it commits and lets its thread take messages (ms). */
const FOLD_SLICE_MS = 8;

const port = parentPort!;
const data = workerData as FoldThreadData;
const post = (msg: FoldThreadMessage) => port.postMessage(msg);
const log = createLogger({ service: 'ledger', level: data.logLevel }).child({ thread: 'fold' });

// What escapes every handler here ends the thread: an InvariantViolation with its exit code, and the
// parent ends the process; anything else with exit code 1, and the parent starts a new thread from
// the database (node/fold-keeper.ts) rather than go on folding in a state nobody checked.
const escaped = (err: unknown, origin: string) => {
  if (err instanceof InvariantViolation) {
    log.fatal({ err, origin }, `invariant violated; the fold thread ends: ${err.message}`);
    post({ type: 'invariant', message: err.message });
    process.exit(INVARIANT_EXIT_CODE);
  }
  log.fatal({ err, origin }, `${origin}; the fold thread ends and is started again from the database`);
  process.exit(1);
};
process.on('uncaughtException', (err) => escaped(err, 'uncaught exception'));
process.on('unhandledRejection', (reason) => escaped(reason, 'unhandled rejection'));

const db = openLedgerDb(data.dbPath);
const store = new LedgerStore(db);
const folder = LedgerFolder.open(store, {
  authority: VerifyingKey.fromBytes(data.authority),
  ed: nodeEd25519,
});
const kafka = createKafkaClient({
  brokers: data.brokers,
  security: fromPlainSecurity(data.security),
  clientId: 'rxledger-ledger',
  log,
});
const pool = new SignaturePool(data.verifyThreads, {
  onWorkerDied: (err) => log.error({ err }, 'a signature worker died; it was replaced'),
});
const consumer = createTopicConsumer<Map<number, Prechecked>>({
  kafka,
  topic: data.topic,
  groupId: data.groupId,
  position: () => store.nextOffset(),
  log,
  prepare: (records) => precheck(records, folder.registry, (jobs) => pool.verify(jobs)),
  onBatch: foldInSlices,
});

// In slices of a few ms, yielding between them, so that the thread takes a stop request between
// any two slices and no commit holds the database for long.
async function foldInSlices(records: ConsumedRecord[], prechecked?: Map<number, Prechecked>) {
  for (let done = 0; done < records.length;) {
    if (done > 0) await setImmediate();
    const result = folder.fold(records.slice(done), prechecked, { budgetMs: FOLD_SLICE_MS });
    done += result.consumed;
    post({ type: 'folded', result });
  }
}

async function handle(request: FoldThreadRequest): Promise<void> {
  switch (request.type) {
    case 'start':
      return consumer.start();
    case 'stop':
      return consumer.stop();
    case 'close':
      await consumer.stop();
      await pool.close();
      db.close();
      return;
    case 'fail':
      // Tests only: the two ways a thread dies from within.
      if (request.how === 'exit') process.exit(3);
      setImmediate().then(() => {
        throw new Error('a failure injected by a test');
      });
      return new Promise(() => {});
  }
}

port.on('message', (request: FoldThreadRequest) => {
  handle(request).then(
    () => post({ type: 'done', id: request.id }),
    (err: Error) => post({ type: 'done', id: request.id, error: err.message }),
  );
});
post({ type: 'ready', size: folder.size });
