import { join, resolve } from 'node:path';
import { readNetwork, runRounds, type Showcase, type SimAccess, showcaseLines } from '@rxledger/ledger';

export interface DemoSimulationOptions {
  credentialsFile: string;
  dataDir: string;
  /** Events per second after the first round. */
  rate: number;
  /** The ledger's counter page. */
  pageUrl: string;
  say: (line: string) => void;
  signal: AbortSignal;
}

/** Packs per round: about 60 events, 20 s at the default rate. */
const ROUND_PACKS = 60;

/**
 * `npm start`'s living network: the simulator's rounds through the demo's partner services, until
 * `signal` aborts. Once the first round is folded it prints a serial of each kind to try at the first
 * pharmacy, with the answers the ledger gives them, the page and a curl line. No secret is printed:
 * the curl line reads the pharmacist token from the credentials file.
 */
export async function runDemoSimulation(o: DemoSimulationOptions): Promise<void> {
  const { network, access } = await readNetwork(o.credentialsFile);
  // Its own file: `rxledger simulate` writes data/demo/ground-truth.json beside it, and both may run.
  const truthFile = join(o.dataDir, 'demo', 'demo-ground-truth.json');
  let packs = 0;
  await runRounds(network, access, {
    seed: 1,
    packs: ROUND_PACKS,
    rate: o.rate,
    mess: { late: 0.1, dup: 0.02, resend: 0.01, shuffle: 0.05 },
    truthFile,
    signal: o.signal,
    onError: (e) => o.say(`demo      a round failed (${e.message}); trying again`),
    onRound: async (plan, round) => {
      packs += plan.packs.length;
      if (round === 0) {
        await printShowcase(o, plan.showcase, access, network.pharmacies[0]?.name ?? 'the first pharmacy');
        o.say(
          `demo      ${packs} packs in the ledger; the network goes on at ${o.rate} events/s (ground truth ${truthFile})`,
        );
      } else if (round % 10 === 0) {
        o.say(`demo      ${packs} packs simulated so far`);
      }
    },
  });
}

async function printShowcase(
  o: DemoSimulationOptions,
  showcase: Showcase,
  access: SimAccess,
  pharmacyName: string,
): Promise<void> {
  const name = showcase.pharmacy;
  o.say(
    `\ntry these at the counter of ${pharmacyName} (GLN ${name}), each with the answer the ledger gives now:`,
  );
  for (const line of await showcaseLines(showcase, access)) o.say(line);
  const token = `$(node -p "require('${resolve(o.credentialsFile)}').ledger.pharmacistTokens['${name}']")`;
  o.say(`  page       ${o.pageUrl}/   (paste ledger.pharmacistTokens["${name}"] from ${o.credentialsFile})`);
  const pack = showcase.genuine ?? showcase.clone;
  if (pack) {
    o.say(
      `  curl       curl -s -H "authorization: Bearer ${token}" '${o.pageUrl}/v1/verify?gtin=${pack.gtin}&serial=${pack.serial}'`,
    );
  }
  o.say('');
}
