// The `rxledger` command line: tools for operators and verifiers.
import { AUDIT_USAGE, auditCommand } from './audit-command.ts';
import { MONITOR_USAGE, monitorCommand } from './monitor-command.ts';
import { QUALITY_USAGE, qualityCommand } from './quality-command.ts';
import { REGISTRY_USAGE, registryCommand } from './registry/registry-command.ts';
import { SIMULATE_USAGE, simulateCommand } from './simulate-command.ts';
import { VERIFY_BUNDLE_USAGE, verifyBundleCommand } from './verify-bundle-command.ts';

const USAGE = `rxledger <command> [options]

Commands:
  audit           recompute a ledger database's hashes, links, tree and checkpoints
  verify-bundle   check a provenance bundle offline against a ledger key and the registry authority key
  monitor         follow several ledger nodes' checkpoints and prove any split view (fork) between them
  registry        list the participant registry, or add a party, set roles, add, revoke or rotate a key
  simulate        post a simulated network's custody events, mess and incidents through the partner services
  quality         verify every simulated pack through the ledger: false alerts and incidents found

${AUDIT_USAGE}

${VERIFY_BUNDLE_USAGE}

${MONITOR_USAGE}

${REGISTRY_USAGE}

${SIMULATE_USAGE}

${QUALITY_USAGE}`;

const [command, ...args] = process.argv.slice(2);
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

let status: number;
switch (command) {
  case 'audit':
    status = auditCommand(args, out, err);
    break;
  case 'verify-bundle':
    status = await verifyBundleCommand(args, out, err);
    break;
  case 'monitor': {
    // Runs until interrupted; the first Ctrl-C stops it cleanly with its exit status.
    const interrupted = new AbortController();
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => interrupted.abort());
    status = await monitorCommand(args, out, err, interrupted.signal);
    break;
  }
  case 'registry':
    status = await registryCommand(args, out, err);
    break;
  case 'simulate': {
    // Rounds run until interrupted; the first Ctrl-C stops after the upload in flight.
    const interrupted = new AbortController();
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => interrupted.abort());
    status = await simulateCommand(args, out, err, interrupted.signal);
    break;
  }
  case 'quality':
    status = await qualityCommand(args, out, err);
    break;
  case undefined:
  case 'help':
  case '--help':
  case '-h':
    out(USAGE);
    status = command === undefined ? 2 : 0;
    break;
  default:
    err(`rxledger: unknown command '${command}'\n\n${USAGE}`);
    status = 2;
}
process.exitCode = status;
