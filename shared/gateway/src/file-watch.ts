import { type FSWatcher, unwatchFile, watch, watchFile } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '@rxledger/runtime';

/** Watches a set of files; `follow` changes the set (a reload may name other key files). */
export interface FileWatch {
  follow(files: readonly string[]): void;
  close(): void;
}

/** How often the stat of a file in a folder that cannot be watched (yet) is polled. */
const POLL_MS = 1_000;

/**
 * Calls `onChange` once the watched files have been quiet for `debounceMs` after a change. Watches
 * their folders, not the files: an editor that saves by writing a new file and renaming it over the
 * old one would leave a watch on the file itself watching a file that is gone. A file whose folder
 * does not exist yet (a nextKeyFile rotate-key has still to write) has its stat polled instead.
 */
export function watchFiles(onChange: () => void, opts: { debounceMs: number; log: Logger }): FileWatch {
  const watchers = new Map<string, FSWatcher>();
  const polled = new Set<string>();
  let names = new Map<string, Set<string>>();
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, opts.debounceMs);
    timer.unref();
  };
  const watchFolder = (dir: string): boolean => {
    if (watchers.has(dir)) return true;
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        // Some platforms give no name: then any change in the folder counts.
        if (name === null || names.get(dir)?.has(basename(name))) changed();
      });
      watcher.on('error', (err) => opts.log.warn({ dir, reason: err.message }, 'cannot watch folder'));
      watchers.set(dir, watcher);
      return true;
    } catch {
      return false;
    }
  };
  return {
    follow(files) {
      names = new Map();
      for (const file of files) {
        const dir = dirname(file);
        names.set(dir, (names.get(dir) ?? new Set()).add(basename(file)));
      }
      for (const [dir, watcher] of watchers) {
        if (names.has(dir)) continue;
        watcher.close();
        watchers.delete(dir);
      }
      const poll = new Set<string>();
      for (const [dir, inDir] of names) {
        if (!watchFolder(dir)) for (const name of inDir) poll.add(join(dir, name));
      }
      for (const file of polled) if (!poll.has(file)) unwatchFile(file);
      for (const file of poll) {
        if (!polled.has(file)) watchFile(file, { persistent: false, interval: POLL_MS }, changed);
      }
      polled.clear();
      for (const file of poll) polled.add(file);
    },
    close() {
      clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
      for (const file of polled) unwatchFile(file);
      polled.clear();
    },
  };
}
