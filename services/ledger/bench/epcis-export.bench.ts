// EPCIS export cost: the fold's rate with the export's indexes, then one page of each query shape
// over a ledger of N leaves, built and rendered as a regulator or a partner would get it.
// Run: npx tsx services/ledger/bench/epcis-export.bench.ts [leaves]
import { statSync } from 'node:fs';
import type { CustodyEvent } from '@rxledger/events';
import { type EpcisQuery, epcisEventsPage } from '../src/answers/epcis-events.ts';
import { ItemHistory } from '../src/answers/item-history.ts';
import type { Principal } from '../src/auth/principal.ts';
import { epcisJsonDocument, epcisXmlDocument } from '../src/routes/epcis-render.ts';
import { tempLedger } from '../test/support/temp-ledger.ts';
import { GLN, pack, TestChain } from '../test/support/test-chain.ts';

const N = Number(process.argv[2] ?? 100_000);
const chain = new TestChain();
const now = Date.now();

// Per pack: commissioned, shipped to the pharmacy, received, dispensed (4 leaves).
function records(): Uint8Array[] {
  const values = [chain.sign(chain.genesis(now - N - 60_000), chain.authority)];
  for (let i = 1; values.length < N; i++) {
    const p = Math.ceil(i / 4);
    const head = { eventId: `x${i}`, eventTime: now - N + i, eventTimeOffsetMinutes: 0 };
    const maker = { ...head, party: GLN.maker, site: GLN.makerSite };
    const pharmacy = { ...head, party: GLN.pharmacy, site: GLN.pharmacySite };
    const e = [
      { ...maker, type: 'COMMISSION', items: [pack(p)], lot: 'L1', expiry: '281231' },
      { ...maker, type: 'SHIP', items: [pack(p)], to: GLN.pharmacy },
      { ...pharmacy, type: 'RECEIVE', items: [pack(p)], from: GLN.maker },
      { ...pharmacy, type: 'DISPENSE', items: [pack(p)] },
    ][(i - 1) % 4]! as CustodyEvent;
    values.push(chain.sign(e, e.party === GLN.pharmacy ? chain.pharmacy : chain.maker));
  }
  return values;
}

const values = records();
const ledger = tempLedger(chain.authority.verifyingKey);
const start = performance.now();
for (let i = 0; i < values.length; i += 1_000) {
  ledger.folder.fold(values.slice(i, i + 1_000).map((v, j) => ({ offset: i + j, value: v, timestamp: now })));
}
const foldS = (performance.now() - start) / 1000;
ledger.db.pragma('wal_checkpoint(TRUNCATE)');
const perLeaf = statSync(ledger.path).size / ledger.folder.size;
console.log(
  `fold: ${N} leaves in ${foldS.toFixed(1)} s = ${(N / foldS).toFixed(0)} leaves/s, ${perLeaf.toFixed(0)} disk bytes/leaf`,
);

const history = new ItemHistory(ledger.store);
const regulator: Principal = { role: 'regulator', glns: [] };
const partner: Principal = { role: 'partner', glns: [GLN.pharmacy] };
const size = ledger.folder.size;
const shapes: Array<[string, Principal, Omit<EpcisQuery, 'perPage'>, number]> = [
  ['everything, first page', regulator, {}, -1],
  ['everything, a page near the end', regulator, {}, size - 2_000],
  ['EQ_bizStep=shipping', regulator, { bizSteps: ['shipping'] }, -1],
  ['EQ_bizLocation=pharmacy site', regulator, { bizLocations: [GLN.pharmacySite] }, -1],
  ['MATCH_anyEPC=one pack', regulator, { anyEPC: [pack(Math.floor(N / 8))] }, -1],
  ['GE/LT_eventTime, 1% window', regulator, { since: now - N / 2, until: now - N / 2 + N / 100 }, -1],
  ["a partner's own", partner, {}, -1],
  ['a partner, one pack it held', partner, { anyEPC: [pack(Math.floor(N / 8))] }, -1],
];
const note = 'bench\n\n';
for (const [name, who, q, after] of shapes) {
  for (const perPage of [100, 1000]) {
    const runs: number[] = [];
    let events = 0;
    let bytes = 0;
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      const page = epcisEventsPage(
        { store: ledger.store, history },
        who,
        { ...q, perPage },
        {
          cursor: { size, after },
          checkpoint: note,
        },
      );
      bytes = JSON.stringify(epcisJsonDocument(page, new Date().toISOString())).length;
      epcisXmlDocument(page, new Date().toISOString());
      runs.push(performance.now() - t);
      events = page.events.length;
    }
    runs.sort((a, b) => a - b);
    console.log(
      `${name} (perPage ${perPage}): ${events} events, median ${runs[2]!.toFixed(1)} ms (JSON ${(bytes / 1024).toFixed(0)} KiB, XML rendered too)`,
    );
  }
}
ledger.close();
