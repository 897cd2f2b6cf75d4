import { partnerEnvSchema, readKafkaSecurity, runPartnerService } from '@rxledger/gateway';
import { readConfig } from '@rxledger/runtime';
import { pharmacyProfile } from './pharmacy-profile.ts';

try {
  const config = readConfig('pharmacy', partnerEnvSchema(pharmacyProfile), process.env);
  const kafkaSecurity = readKafkaSecurity('pharmacy', process.env);
  await runPartnerService(pharmacyProfile, config, kafkaSecurity);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
