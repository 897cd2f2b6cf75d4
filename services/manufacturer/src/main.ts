import { partnerEnvSchema, readKafkaSecurity, runPartnerService } from '@rxledger/gateway';
import { readConfig } from '@rxledger/runtime';
import { manufacturerProfile } from './manufacturer-profile.ts';

try {
  const config = readConfig('manufacturer', partnerEnvSchema(manufacturerProfile), process.env);
  const kafkaSecurity = readKafkaSecurity('manufacturer', process.env);
  await runPartnerService(manufacturerProfile, config, kafkaSecurity);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
