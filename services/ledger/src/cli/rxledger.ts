// The `rxledger` command line: tools for operators and verifiers.
import { AUDIT_USAGE, auditCommand } from './audit-command.ts';
import { VERIFY_BUNDLE_USAGE, verifyBundleCommand } from './verify-bundle-command.ts';

const USAGE = `rxledger <command> [options]

Commands:
  audit           recompute a ledger database's hashes, links, tree and checkpoints
  verify-bundle   check a provenance bundle offline against a ledger key and the registry authority key

${AUDIT_USAGE}

${VERIFY_BUNDLE_USAGE}`;

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
