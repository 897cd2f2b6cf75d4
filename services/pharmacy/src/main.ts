import { partnerEnvSchema, runPartnerService } from '@rxledger/gateway';
import { readConfig } from '@rxledger/runtime';
import { pharmacyProfile } from './pharmacy-profile.ts';

try {
  const config = readConfig('pharmacy', partnerEnvSchema(pharmacyProfile), process.env);
  await runPartnerService(pharmacyProfile, config);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
