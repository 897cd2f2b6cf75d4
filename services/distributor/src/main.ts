import { partnerEnvSchema, readKafkaSecurity, runPartnerService } from '@rxledger/gateway';
import { readConfig } from '@rxledger/runtime';
import { distributorProfile } from './distributor-profile.ts';

try {
  const config = readConfig('distributor', partnerEnvSchema(distributorProfile), process.env);
  const kafkaSecurity = readKafkaSecurity('distributor', process.env);
  await runPartnerService(distributorProfile, config, kafkaSecurity);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
