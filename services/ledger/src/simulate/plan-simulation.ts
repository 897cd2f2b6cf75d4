import { palletLife, type PalletRole } from './pallet-life.ts';
import { plantIncidents } from './plant-incidents.ts';
import { SimBook, type SimOptions } from './sim-book.ts';
import type { SimNetwork } from './sim-network.ts';
import { type Showcase, type TruthPack, truthOf } from './ground-truth.ts';
import { type MessTally, scheduleUploads, type Upload } from './schedule-uploads.ts';

/** A whole run, decided before anything is posted: what to post in which order, and what it plants. */
export interface SimPlan {
  tag: string;
  uploads: Upload[];
  mess: MessTally;
  /** The eventIds of the events uploaded late (hours to days after they happened). */
  lateEvents: Set<string>;
  /** Distinct events (duplicates and resends not counted). */
  events: number;
  packs: TruthPack[];
  showcase: Showcase;
}

/** Most packs on one pallet: cases of 6-12, up to four cases. */
const MAX_PALLET = 48;

/**
 * Plans a run: pallets of packs through the network (the first, small one's lot recalled unless
 * `recall` is false; the next one's packs all at the first pharmacy, for the demo to print),
 * incidents planted, uploads scheduled with the configured mess. Pure: the same network and options give the same plan, byte for byte.
 */
export function planSimulation(network: SimNetwork, opts: SimOptions): SimPlan {
  const book = new SimBook(network, opts);
  const recall = opts.recall !== false;
  for (let pallet = 0, left = opts.packs; left > 0; pallet++) {
    const role = roleOf(pallet, recall);
    // The recalled lot is one small pallet: a recall is an incident, not the bulk of the stock.
    const count = Math.min(
      left,
      role === 'recall' ? book.rng.int(6, 12) : book.rng.int(MAX_PALLET / 2, MAX_PALLET),
    );
    book.packs.push(...palletLife(book, pallet, count, role));
    left -= count;
  }
  // About one incident of each kind per 400 packs, at least one.
  plantIncidents(
    book,
    Math.max(1, Math.round(opts.packs / 400)),
    recall && book.packs.length > 0 ? 0 : undefined,
  );
  const late = book.events.find((e) => e.time > opts.t0 - 60_000);
  if (late) throw new Error(`plan: event ${late.body.eventId} is dated after t0 - 1 min (a plan bug)`);
  const packs = book.packs.map(truthOf);
  return {
    tag: book.tag,
    ...scheduleUploads(book),
    events: book.events.length,
    packs,
    showcase: showcaseOf(network, packs),
  };
}

/** Pallet 0 is the recalled lot (when the run recalls one), the next the one the demo prints from. */
function roleOf(pallet: number, recall: boolean): PalletRole {
  const first = recall ? 1 : 0;
  return pallet < first ? 'recall' : pallet === first ? 'showcase' : 'ordinary';
}

function showcaseOf(network: SimNetwork, packs: TruthPack[]): Showcase {
  const pharmacy = network.pharmacies[0]!.gln;
  const here = packs.filter((p) => p.at === pharmacy);
  const find = (f: (p: TruthPack) => boolean) => here.find(f);
  return {
    pharmacy,
    genuine: find((p) => !p.incident && p.expect.dispensable),
    clone: find((p) => p.incident === 'CLONE'),
    recalled: find((p) => p.incident === 'RECALLED'),
    dispensed: find((p) => !p.incident && p.expect.status === 'DISPENSED'),
  };
}
