import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { readSigningKeyFile, readVerifyingKeyFile, VerifyingKey } from '@rxledger/events';
import { readKafkaSecurity } from '@rxledger/kafka';
import { announceListening, createLogger, env, readConfig, runUntilStopped } from '@rxledger/runtime';
import { z } from 'zod';
import { tokenFileSchema } from './auth/principal.ts';
import { createLedgerService } from './ledger-service.ts';
import { parsePeers } from './monitor/peer-monitor.ts';
import { parseWitnessList } from './witness/witness-config.ts';
import { readWitnessOf } from './witness/witness-key.ts';

const schema = z
  .object({
    HOST: env.host(),
    PORT: env.port(7100),
    KAFKA_BROKERS: env
      .brokers()
      .refine((b) => b !== undefined, 'required: the Kafka brokers (host:port,...)'),
    CHANNEL: env.channel(),
    DATA_DIR: z.string().min(1).default('data/ledger'),
    CHECKPOINT_KEY_FILE: z
      .string({ error: 'required: the JWK file of this node checkpoint signing key' })
      .min(1),
    AUTHORITY_PUBLIC_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be a 32-byte key in standard base64')
      .optional(),
    AUTHORITY_KEY_FILE: z.string().min(1).optional(),
    LOG_ORIGIN: z
      .string()
      .regex(/^[^\s+]+$/, 'must be a non-empty name without spaces or +')
      .optional(),
    LEDGER_TOKENS_FILE: z
      .string({ error: 'required: the JSON file of bearer token hashes and their roles' })
      .min(1),
    // Witnesses to ask for cosignatures: "<url> <witness vkey>" entries, comma-separated (README).
    RXLEDGER_WITNESSES: z.string().default(''),
    // This node as a witness of peers: its key file (JWK, created if absent), its witness name, and
    // the checkpoint keys (vkeys) of the peer logs it cosigns.
    WITNESS_KEY_FILE: z.string().min(1).optional(),
    WITNESS_NAME: z
      .string()
      .regex(/^[^\s+]+$/, 'must be a non-empty name without spaces or +')
      .optional(),
    WITNESS_LOGS: z.string().default(''),
    LOG_LEVEL: env.logLevel(),
    // Working days (Mon-Fri) before an alert no manufacturer or regulator answered escalates.
    ALERT_ESCALATION_WORKING_DAYS: z
      .string()
      .regex(/^[1-9][0-9]?$/, 'must be a whole number of working days, 1 to 99')
      .transform(Number)
      .default(2),
    // Alert webhooks (README "Alerts"): off turns the webhook and stream routes off; the hosts a
    // webhook may name (comma-separated; default any public address); whether private and loopback
    // addresses are allowed (the demo's receivers run on 127.0.0.1).
    ALERT_WEBHOOKS: z.enum(['on', 'off']).default('on'),
    ALERT_WEBHOOK_HOSTS: z
      .string()
      .optional()
      .transform((text) =>
        text
          ?.split(',')
          .map((h) => h.trim())
          .filter((h) => h !== ''),
      ),
    ALERT_WEBHOOK_PRIVATE: z.enum(['0', '1']).default('0'),
    // Peer nodes of the same topic to watch for a split view: "<URL> <vkey>,<URL> <vkey>".
    RXLEDGER_PEERS: z
      .string()
      .optional()
      .transform((text, ctx) => {
        try {
          return text === undefined ? [] : parsePeers(text);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
    // The counter page as infra/build.mjs builds it; import.meta.url is this source file's URL in the
    // bundle too, so the default is the repository's dist/web either way.
    WEB_DIR: z
      .string()
      .min(1)
      .default(fileURLToPath(new URL('../../../dist/web', import.meta.url))),
  })
  .refine((c) => (c.AUTHORITY_PUBLIC_KEY === undefined) !== (c.AUTHORITY_KEY_FILE === undefined), {
    message:
      'give the registry authority public key: AUTHORITY_PUBLIC_KEY (base64) or AUTHORITY_KEY_FILE (JWK), one of them',
    path: ['AUTHORITY_PUBLIC_KEY'],
  });

/** This node as a witness of peers, when WITNESS_KEY_FILE is set. */
async function witnessOf(config: z.infer<typeof schema>) {
  if (config.WITNESS_KEY_FILE === undefined) return undefined;
  const origin = config.LOG_ORIGIN ?? `rxledger.local/custody/${config.CHANNEL}`;
  return readWitnessOf({
    keyFile: config.WITNESS_KEY_FILE,
    name: config.WITNESS_NAME ?? `${origin}/witness`,
    logs: config.WITNESS_LOGS,
  });
}

try {
  const config = readConfig('ledger', schema, process.env);
  const kafkaSecurity = readKafkaSecurity('ledger', process.env);
  const log = createLogger({ service: 'ledger', level: config.LOG_LEVEL });
  const { key } = await readSigningKeyFile(config.CHECKPOINT_KEY_FILE).catch((err: Error) => {
    throw new Error(`ledger: CHECKPOINT_KEY_FILE: ${err.message}`);
  });
  const tokens = tokenFileSchema.safeParse(JSON.parse(await readFile(config.LEDGER_TOKENS_FILE, 'utf8')));
  if (!tokens.success) {
    const lines = tokens.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`ledger: ${config.LEDGER_TOKENS_FILE} is not a valid tokens file\n${lines.join('\n')}`);
  }
  const ledger = createLedgerService({
    host: config.HOST,
    port: config.PORT,
    brokers: config.KAFKA_BROKERS!,
    kafkaSecurity,
    channel: config.CHANNEL,
    dataDir: config.DATA_DIR,
    checkpointKey: key,
    origin: config.LOG_ORIGIN ?? `rxledger.local/custody/${config.CHANNEL}`,
    authority: config.AUTHORITY_KEY_FILE
      ? await readVerifyingKeyFile(config.AUTHORITY_KEY_FILE)
      : VerifyingKey.fromBytes(Buffer.from(config.AUTHORITY_PUBLIC_KEY!, 'base64')),
    tokens: tokens.data,
    log,
    webDir: config.WEB_DIR,
    peers: config.RXLEDGER_PEERS,
    witnesses: parseWitnessList(config.RXLEDGER_WITNESSES, 'RXLEDGER_WITNESSES'),
    witnessOf: await witnessOf(config),
    alertEscalationWorkingDays: config.ALERT_ESCALATION_WORKING_DAYS,
    alertDelivery:
      config.ALERT_WEBHOOKS === 'off'
        ? undefined
        : {
            urlPolicy: {
              allowHosts: config.ALERT_WEBHOOK_HOSTS?.length ? config.ALERT_WEBHOOK_HOSTS : undefined,
              allowPrivateNetworks: config.ALERT_WEBHOOK_PRIVATE === '1',
            },
          },
    onFatal: (err) => {
      process.stderr.write(`${err.message}\n`);
      void ledger.stop().finally(() => process.exit(1));
    },
  });
  await runUntilStopped(
    {
      start: async () => {
        const url = await ledger.start();
        announceListening('ledger', url, log);
      },
      stop: () => ledger.stop(),
    },
    log,
  );
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
