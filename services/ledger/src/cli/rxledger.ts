// The `rxledger` command line: tools for operators and verifiers.
import { AUDIT_USAGE, auditCommand } from './audit-command.ts';

const USAGE = `rxledger <command> [options]

Commands:
  audit   recompute a ledger database's hashes, links, tree and checkpoints

${AUDIT_USAGE}`;

const [command, ...args] = process.argv.slice(2);
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

let status: number;
switch (command) {
  case 'audit':
    status = auditCommand(args, out, err);
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
