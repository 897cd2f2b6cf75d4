import { gatewayMain } from '@rxledger/gateway';

await gatewayMain('manufacturer', process.env).catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
