#!/usr/bin/env node
// Runs one child command and guarantees it does not outlive the process that started this guardian.
// The owner talks to us over an IPC channel; when that channel closes (the owner exited, crashed or
// was SIGKILLed) we stop the child. Plain JS with no dependencies so it starts in milliseconds and
// needs no TypeScript loader.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('guardian: usage: guardian.mjs <command> [args...]\n');
  process.exit(2);
}
const graceMs = Number(process.env.GUARDIAN_GRACE_MS ?? 15000);
// A scratch directory that belongs to the child and must not outlive it either.
const scratchDir = process.env.GUARDIAN_SCRATCH_DIR;

const child = spawn(command, args, { stdio: 'inherit' });
let stopping = false;

function stopChild(signal) {
  if (stopping) return;
  stopping = true;
  child.kill(signal);
  setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
}

child.on('error', (err) => {
  process.stderr.write(`guardian: cannot start ${command}: ${err.message}\n`);
  process.exit(127);
});
child.on('spawn', () => process.send?.({ type: 'spawned', pid: child.pid }));
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 128 : 1);
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  process.disconnect?.();
});

process.on('disconnect', () => stopChild('SIGTERM'));
process.on('SIGTERM', () => stopChild('SIGTERM'));
process.on('SIGINT', () => stopChild('SIGTERM'));
