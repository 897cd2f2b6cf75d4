import { addNoteSignatures, parseCheckpoint, parseNote, parseSignatureLines } from '@rxledger/tlog';
import type { Db } from '../store/ledger-db.ts';

/** The latest checkpoint this node cosigned for another log, as a witness. */
export interface WitnessedLog {
  origin: string;
  size: number;
  root: Uint8Array;
  note: string;
}

/**
 * The witness tables of a node's database (ledger-db.ts's schema): cosignatures witnesses gave this
 * node's checkpoints, and, when the node is itself a witness, the latest checkpoint it cosigned per
 * peer log. Statements are prepared once; every call is one short SQLite statement.
 */
export class CosignatureStore {
  readonly #s;

  constructor(db: Db) {
    this.#s = {
      save: db.prepare(
        'INSERT INTO cosignatures (size, witness, line, timestamp) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (size, witness) DO UPDATE SET line = excluded.line, timestamp = excluded.timestamp',
      ),
      lines: db.prepare<[number], { line: string }>(
        'SELECT line FROM cosignatures WHERE size = ? ORDER BY witness',
      ),
      latest: db.prepare<[string], { size: number | null }>(
        'SELECT MAX(size) AS size FROM cosignatures WHERE witness = ?',
      ),
      witnessed: db.prepare<[string], { origin: string; size: number; root: Buffer; note: string }>(
        'SELECT * FROM witnessed_logs WHERE origin = ?',
      ),
      saveWitnessed: db.prepare(
        'INSERT INTO witnessed_logs (origin, size, root, note) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root = excluded.root, note = excluded.note',
      ),
    };
  }

  /** Stores a verified cosignature line (ending in a newline) of the checkpoint at `size`. */
  save(size: number, witness: string, line: string, timestamp: number): void {
    this.#s.save.run(size, witness, line, timestamp);
  }

  /** The largest checkpoint size `witness` (`<name>+<key id>`) cosigned, or 0. */
  latestSize(witness: string): number {
    return this.#s.latest.get(witness)?.size ?? 0;
  }

  /**
   * The signed checkpoint `note` with every stored cosignature of its size appended (C2SP
   * signed-note: more signature lines after the log's own). Unchanged when there are none.
   * @example res.send(cosigs.cosigned(store.latestCheckpoint().note))
   */
  cosigned(note: string): string {
    const { size } = parseCheckpoint(parseNote(note).text);
    const lines = this.#s.lines.all(size).map((r) => r.line);
    return lines.length === 0 ? note : addNoteSignatures(note, parseSignatureLines(lines.join('')));
  }

  /** The latest checkpoint this node cosigned for `origin`, as a witness. */
  witnessed(origin: string): WitnessedLog | undefined {
    const row = this.#s.witnessed.get(origin);
    return row && { origin: row.origin, size: row.size, root: new Uint8Array(row.root), note: row.note };
  }

  /** Records the checkpoint just cosigned for its origin; MUST run before the cosignature is sent. */
  saveWitnessed(log: WitnessedLog): void {
    this.#s.saveWitnessed.run(log.origin, log.size, log.root, log.note);
  }
}
