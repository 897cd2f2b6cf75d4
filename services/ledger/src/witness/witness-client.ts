import { type Logger, pause, RxError, retry } from '@rxledger/runtime';
import {
  consistencyProof,
  formatAddCheckpointRequest,
  type HashReader,
  type NoteSignature,
  parseAddCheckpointAnswer,
  parseNote,
  signatureLine,
} from '@rxledger/tlog';
import type { StoredCheckpoint } from '../store/ledger-store.ts';
import type { CosignatureStore } from './cosignature-store.ts';
import type { WitnessEndpoint } from './witness-config.ts';

/** What the client reads from the node: its latest signed checkpoint and the tree, as committed. */
export interface WitnessedNode {
  latestCheckpoint(): StoredCheckpoint | undefined;
  hashReader(): HashReader;
}

export interface WitnessClientOptions {
  node: WitnessedNode;
  cosigs: CosignatureStore;
  witnesses: readonly WitnessEndpoint[];
  log: Logger;
  /** How often each witness's loop looks for a newer checkpoint (default 500 ms). */
  pollMs?: number;
  /** Backoff while a witness is down: first delay and ceiling (defaults 500 ms and 30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long to wait after a witness refused a checkpoint outright (default 15 s). */
  refusedDelayMs?: number;
  /** One request's time limit (default 10 s). */
  timeoutMs?: number;
}

/**
 * Sends each new checkpoint of the node to every witness (C2SP tlog-witness add-checkpoint), with a
 * consistency proof from the size that witness last cosigned, and stores the cosignatures it answers.
 * One loop per witness, on the event loop only: a witness that is down or slow is retried with
 * backoff and jitter and MUST NOT hold up the checkpointer, the fold or another witness.
 */
export function createWitnessClient(opts: WitnessClientOptions): { start(): void; stop(): Promise<void> } {
  const abort = new AbortController();
  let loops: Promise<void>[] = [];
  return {
    start() {
      if (opts.witnesses.length > 0) {
        opts.log.info(
          { witnesses: opts.witnesses.map((w) => `${w.id} at ${w.url}`) },
          'asking witnesses to cosign',
        );
      }
      loops = opts.witnesses.map((w) => witnessLoop(w, opts, abort.signal));
    },
    async stop() {
      abort.abort();
      await Promise.all(loops);
    },
  };
}

async function witnessLoop(
  w: WitnessEndpoint,
  opts: WitnessClientOptions,
  signal: AbortSignal,
): Promise<void> {
  // The size this witness cosigned last, as far as this node knows; a 409 corrects it.
  const state = { size: opts.cosigs.latestSize(w.id), refused: false };
  while (!signal.aborted) {
    const latest = opts.node.latestCheckpoint();
    if (latest === undefined || latest.size <= state.size) {
      await pause(opts.pollMs ?? 500, signal);
      continue;
    }
    try {
      // Each attempt sends the newest checkpoint: after an outage the witness need not catch up step by step.
      await retry(() => submit(w, opts.node.latestCheckpoint() ?? latest, state, opts, signal), {
        attempts: Number.POSITIVE_INFINITY,
        baseDelayMs: opts.baseDelayMs ?? 500,
        maxDelayMs: opts.maxDelayMs ?? 30_000,
        signal,
      });
      if (state.refused) opts.log.info({ witness: w.id, size: latest.size }, 'witness cosigns again');
      state.refused = false;
    } catch (err) {
      if (signal.aborted) break;
      // Once per refusing spell at error level: a witness that refuses this log needs a person.
      const fields = { witness: w.id, url: w.url, size: latest.size, err: (err as Error).message };
      if (state.refused) opts.log.debug(fields, 'witness refused the checkpoint again');
      else opts.log.error(fields, 'witness refused the checkpoint; trying again later');
      state.refused = true;
      await pause(opts.refusedDelayMs ?? 15_000, signal);
    }
  }
}

/**
 * One submission of `latest`, resent once at once from the witness's size on a 409. Throws a
 * retriable RxError while the witness is unreachable or answers 5xx, a non-retriable one on refusal.
 */
async function submit(
  w: WitnessEndpoint,
  latest: StoredCheckpoint,
  state: { size: number },
  opts: WitnessClientOptions,
  signal: AbortSignal,
): Promise<void> {
  for (let conflicts = 0; ; conflicts++) {
    if (state.size > latest.size) {
      const msg = `the witness cosigned size ${state.size}, beyond this node's latest checkpoint (${latest.size})`;
      throw new RxError('WITNESS_AHEAD', msg, { retriable: true });
    }
    const proof =
      state.size === 0 || state.size === latest.size
        ? []
        : consistencyProof(opts.node.hashReader(), state.size, latest.size);
    const body = formatAddCheckpointRequest({ oldSize: state.size, proof, checkpoint: latest.note });
    const answer = await post(w, body, opts.timeoutMs ?? 10_000, signal);
    if (answer.kind === 'conflict' && conflicts === 0) {
      opts.log.info(
        { witness: w.id, ours: state.size, theirs: answer.size },
        'witness is at another size; resending',
      );
      state.size = answer.size;
      continue;
    }
    if (answer.kind === 'conflict') {
      state.size = answer.size;
      throw new RxError('WITNESS_CONFLICT', `the witness answered 409 twice (size ${answer.size})`, {
        retriable: true,
      });
    }
    if (answer.kind === 'refused') {
      throw new RxError('WITNESS_REFUSED', answer.reason, { retriable: answer.retriable });
    }
    keepCosignature(w, latest, answer.signatures, opts);
    state.size = latest.size;
    return;
  }
}

/** Verifies the witness's answer against its configured key and stores its cosignature line. */
function keepCosignature(
  w: WitnessEndpoint,
  latest: StoredCheckpoint,
  signatures: readonly NoteSignature[],
  opts: WitnessClientOptions,
): void {
  // Lines by other keys are ignored, as the spec requires of clients.
  const mine = signatures.filter((s) => s.name === w.key.name && s.keyId === w.key.keyId);
  const { text } = parseNote(latest.note);
  for (const line of mine) {
    const timestamp = w.key.verify(text, line.signature);
    if (timestamp === undefined) continue;
    opts.cosigs.save(latest.size, w.id, signatureLine(line), timestamp);
    opts.log.debug({ witness: w.id, size: latest.size }, 'checkpoint cosigned');
    return;
  }
  const why = mine.length === 0 ? 'no line by its key' : 'a line by its key that does not verify';
  throw new RxError('WITNESS_BAD_COSIGNATURE', `the witness answered 200 with ${why}`, { retriable: true });
}

async function post(w: WitnessEndpoint, body: string, timeoutMs: number, signal: AbortSignal) {
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${w.url}/add-checkpoint`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    text = await res.text();
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new RxError('WITNESS_UNREACHABLE', `${w.url}/add-checkpoint: ${cause}`, { retriable: true });
  }
  return parseAddCheckpointAnswer(res.status, res.headers.get('content-type'), text);
}
