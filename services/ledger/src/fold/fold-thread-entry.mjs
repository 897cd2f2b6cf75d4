// Entry of the fold thread (fold-thread.ts starts it). Node does not hand a worker thread the
// TypeScript loader of its parent, so this plain-JS entry registers it before loading the thread's code.
import { register } from 'tsx/esm/api';

register();
await import('./fold-thread-worker.ts');
