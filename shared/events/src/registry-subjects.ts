import type { CustodyEvent } from './custody-event.ts';
import { namedItems } from './named-items.ts';

// Registry subjects name what a REGISTRY leaf changes, so registry leaves hash-link per party and per
// key (LedgerEntry v2). They start with `rxledger:`, never with `https://`, so they cannot collide with
// the canonical GS1 URIs of named items that share the same link machinery.

/** The registry subject of a party: `rxledger:party:<gln>`. */
export const partySubject = (gln: string): string => `rxledger:party:${gln}`;

/** The registry subject of a signing key: `rxledger:key:<keyId>`. */
export const keySubject = (keyId: string): string => `rxledger:key:${keyId}`;

/**
 * The registry subjects a REGISTRY event's changes touch, in first-occurrence order without repeats:
 * its party for AddParty, SetRoles and SetCompanyPrefixes; its party, then its key, for AddKey and
 * RevokeKey. Nothing for any other event: custody leaves never extend the registry chains.
 * @example registrySubjects(addKeyEvent) // ['rxledger:party:4012345000009', 'rxledger:key:6a3803d5f059902a']
 */
export function registrySubjects(event: CustodyEvent): string[] {
  if (event.type !== 'REGISTRY') return [];
  const subjects = new Set<string>();
  for (const change of event.changes) {
    subjects.add(partySubject(change.gln));
    if (change.kind === 'AddKey' || change.kind === 'RevokeKey') subjects.add(keySubject(change.keyId));
  }
  return [...subjects];
}

/**
 * What a leaf's `links` follow one for one: the items the event names (namedItems), then, for a
 * REGISTRY event written as LedgerEntry v2, its registry subjects. A v1 leaf links the items only.
 */
export function linkSubjects(event: CustodyEvent, version: 1 | 2 = 2): string[] {
  return version === 1 ? namedItems(event) : [...namedItems(event), ...registrySubjects(event)];
}

/**
 * The subjects a leaf's `signerLinks` follow one for one: the signing party, then its signing key.
 * @example signerSubjects('4012345000009', '6a3803d5f059902a') // ['rxledger:party:4012345000009', 'rxledger:key:6a3803d5f059902a']
 */
export function signerSubjects(party: string, keyId: string): [string, string] {
  return [partySubject(party), keySubject(keyId)];
}
