// What alerts cost the fold: N one-pack COMMISSION records folded in memory (1) with no alert open,
// (2) after `A` RAISE_ALERTs of UNKNOWN_SERIAL on packs the commissions then bring into existence, so that
// A of the leaves end their transaction and heal an alert. Run: npx tsx services/ledger/bench/alert-fold.bench.ts [N] [A]
import { tempLedger } from '../test/support/temp-ledger.ts';
import { pack, TestChain } from '../test/support/test-chain.ts';

const N = Number(process.argv[2] ?? 20_000);
const A = Number(process.argv[3] ?? 200);

function run(alerts: number): number {
  const chain = new TestChain();
  const ledger = tempLedger(chain.authority.verifyingKey);
  try {
    ledger.folder.fold([chain.record(chain.sign(chain.genesis(Date.now() - 60_000), chain.authority))]);
    const raises = Array.from({ length: alerts }, (_, i) =>
      chain.event(chain.pharmacy, {
        type: 'RAISE_ALERT',
        eventId: `r${i}`,
        item: pack(i * Math.floor(N / alerts)),
        code: 'UNKNOWN_SERIAL',
        lot: '',
        expiry: '',
      } as never),
    );
    // A known product, so the raises are UNKNOWN_SERIAL of a known GTIN.
    const seed = chain.event(chain.maker, {
      type: 'COMMISSION',
      items: [pack(N + 1)],
      lot: 'L',
      expiry: '281231',
    } as never);
    ledger.folder.fold([seed, ...raises]);
    const commissions = chain
      .commissions(0, N, Date.now() - 1_000)
      .map((value) => chain.record(value, Date.now()));
    const start = performance.now();
    for (let i = 0; i < commissions.length; i += 1_000) ledger.folder.fold(commissions.slice(i, i + 1_000));
    const ms = performance.now() - start;
    const open = ledger.store.alerts.openItems().length;
    if (open !== 0) throw new Error(`${open} alerts still open`);
    return ms;
  } finally {
    ledger.close();
  }
}

for (const alerts of [0, A, 0, A]) {
  const ms = run(alerts);
  console.log(
    `${N} commissions, ${alerts} alerts healed: ${ms.toFixed(0)} ms, ${((N / ms) * 1000).toFixed(0)} records/s`,
  );
}
