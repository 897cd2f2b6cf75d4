import { gatewayMain } from '@rxledger/gateway';

await gatewayMain('distributor', process.env).catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
