import { checkDigit } from '@rxledger/gs1';
import type { AlertCode, VerifyAnswer } from '../answers/judge-verify.ts';
import { Prng } from './prng.ts';
import type { PartyKind, SimNetwork, SimParty } from './sim-network.ts';

/** How a simulation run is shaped; the same options give the same plan, byte for byte. */
export interface SimOptions {
  seed: number;
  packs: number;
  /** Share of events uploaded hours to days after they happened (posted after later ones). */
  late: number;
  /** Share of upload batches posted twice in a row. */
  dup: number;
  /** Share of upload batches resent a few uploads later, as a scanner does after a timeout. */
  resend: number;
  /** Share of upload batches whose events arrive in another order than they happened. */
  shuffle: number;
  /** Whether the run recalls a lot (default true; the demo recalls one in its first round only). */
  recall?: boolean;
  /**
   * The run's clock: every event happens in the six days before it, so all are in the past when
   * posted. It also tells runs with one seed apart (serials, eventIds), so a rerun never collides.
   */
  t0: number;
}

/** One custody event as a scanner posts it, with who posts it and when it happened. */
export interface SimEvent {
  kind: PartyKind;
  party: string;
  site: string;
  time: number;
  /** The JSON event of the partner API (DESIGN §5), eventId and eventTime included. */
  body: { eventId: string; type: string; eventTime: string } & Record<string, unknown>;
}

export type IncidentKind =
  | 'CLONE'
  | 'COUNTERFEIT'
  | 'LOT_MISMATCH'
  | 'EXPIRY_MISMATCH'
  | 'DIVERTED'
  | 'DOUBLE_DISPENSE'
  | 'STOLEN_RESOLD'
  | 'RECALLED';

/** A simulated pack as the plan leaves it: where it is, in what state, and what the ledger should say. */
export interface SimPack {
  gtin: string;
  serial: string;
  lot: string;
  expiry: string;
  pallet: number;
  holder: string;
  state: 'ACTIVE' | 'IN_TRANSIT' | 'DISPENSED' | 'DECOMMISSIONED';
  /** eventTime of its last custody event. */
  last: number;
  /** Where it was shipped from, for a pack received at a pharmacy. */
  from?: string;
  /** Loose at its distributor (not in a case): what a stolen pack is. */
  loose?: boolean;
  incident?: IncidentKind;
  /** The party at whose counter or dock quality verifies it (default: its holder). */
  at?: string;
  /** What is printed on the pack when it differs from what was commissioned. */
  scan?: { lot?: string; expiry?: string };
  /** Alert codes an incident must raise. */
  expectAlerts?: AlertCode[];
}

/** The verify answer a genuine pack must get, exactly; for an incident, the alerts it must raise. */
export interface Expected {
  verdict?: VerifyAnswer['verdict'];
  status?: VerifyAnswer['status'];
  dispensable: boolean;
  alerts: AlertCode[];
}

const HOUR = 3_600_000;
export const TIME = { MINUTE: 60_000, HOUR, DAY: 24 * HOUR } as const;

/** The plan under construction: the PRNG, the events so far, the packs and their fates. */
export class SimBook {
  readonly rng: Prng;
  /** A short run tag from the seed and t0: in every serial, lot, SSCC and eventId of the run. */
  readonly tag: string;
  readonly events: SimEvent[] = [];
  readonly packs: SimPack[] = [];
  private nextEvent = 0;
  private nextContainer = 0;

  constructor(
    readonly network: SimNetwork,
    readonly opts: SimOptions,
  ) {
    this.rng = new Prng(opts.seed);
    this.tag = runTag(opts.seed, opts.t0);
  }

  /** Adds an event posted by `party`'s scanner at `site`; returns its eventId. */
  emit(party: SimParty, site: string, time: number, type: string, fields: Record<string, unknown>): string {
    const eventId = `sim-${this.tag}-${this.nextEvent++}`;
    const eventTime = new Date(time).toISOString();
    this.events.push({
      kind: party.kind,
      party: party.gln,
      site,
      time,
      body: { eventId, type, eventTime, ...fields },
    });
    return eventId;
  }

  /** A new SSCC-18 under `prefix`, unique to this run (the tag's digits in its serial reference). */
  sscc(prefix: string): string {
    const refDigits = 16 - prefix.length;
    const runPart = String(parseInt(this.tag, 36) % 10 ** (refDigits - 4)).padStart(refDigits - 4, '0');
    const body = `0${prefix}${runPart}${String(this.nextContainer++).padStart(4, '0')}`;
    return body + checkDigit(body);
  }
}

/** Six base-36 characters from the seed and t0 (FNV-1a): different runs, different tags. */
export function runTag(seed: number, t0: number): string {
  let h = 0x811c9dc5;
  for (const ch of `${seed}/${t0}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(36).padStart(7, '0').slice(-6).toUpperCase();
}
