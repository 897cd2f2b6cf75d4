import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '@rxledger/runtime';

/** Watches a set of files; `follow` changes the set (a reload may name other key files). */
export interface FileWatch {
  follow(files: readonly string[]): void;
  close(): void;
}

/**
 * Calls `onChange` once the watched files have been quiet for `debounceMs` after a change. Watches
 * their folders, not the files: an editor that saves by writing a new file and renaming it over the
 * old one would leave a watch on the file itself watching a file that is gone.
 */
export function watchFiles(onChange: () => void, opts: { debounceMs: number; log: Logger }): FileWatch {
  const watchers = new Map<string, FSWatcher>();
  let names = new Map<string, Set<string>>();
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, opts.debounceMs);
    timer.unref();
  };
  return {
    follow(files) {
      names = new Map();
      for (const file of files) {
        const dir = dirname(file);
        names.set(dir, (names.get(dir) ?? new Set()).add(basename(file)));
      }
      for (const [dir, watcher] of watchers) {
        if (!names.has(dir)) {
          watcher.close();
          watchers.delete(dir);
        }
      }
      for (const dir of names.keys()) {
        if (watchers.has(dir)) continue;
        try {
          const watcher = watch(dir, { persistent: false }, (_event, name) => {
            // Some platforms give no name: then any change in the folder counts.
            if (name === null || names.get(dir)?.has(basename(name))) changed();
          });
          watcher.on('error', (err) => opts.log.warn({ dir, reason: err.message }, 'cannot watch folder'));
          watchers.set(dir, watcher);
        } catch (err) {
          // A folder that does not exist yet: SIGHUP still reloads.
          opts.log.warn(
            { dir, reason: (err as Error).message },
            'cannot watch folder; send SIGHUP to reload',
          );
        }
      }
    },
    close() {
      clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
