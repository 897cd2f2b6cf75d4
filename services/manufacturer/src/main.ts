import { partnerEnvSchema, runPartnerService } from '@rxledger/gateway';
import { readConfig } from '@rxledger/runtime';
import { manufacturerProfile } from './manufacturer-profile.ts';

try {
  const config = readConfig('manufacturer', partnerEnvSchema(manufacturerProfile), process.env);
  await runPartnerService(manufacturerProfile, config);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
