import { fileURLToPath } from 'node:url';
import { partnerEnvSchema, readKafkaSecurity, runPartnerService } from '@rxledger/gateway';
import { readConfig } from '@rxledger/runtime';
import { z } from 'zod';
import { pharmacyProfileWith } from './pharmacy-profile.ts';

const pharmacyEnv = partnerEnvSchema({ defaultPort: 7103 }).extend({
  // The counter page as infra/build.mjs builds it (import.meta.url is this source file's URL in the
  // bundle too, so the default is the repository's dist/web either way).
  WEB_DIR: z
    .string()
    .min(1)
    .default(fileURLToPath(new URL('../../../dist/web', import.meta.url))),
});

try {
  const config = readConfig('pharmacy', pharmacyEnv, process.env);
  const kafkaSecurity = readKafkaSecurity('pharmacy', process.env);
  await runPartnerService(pharmacyProfileWith({ webDir: config.WEB_DIR }), config, kafkaSecurity);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
