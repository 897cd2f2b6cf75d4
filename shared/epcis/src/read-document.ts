import type { ReadLimits } from './epcis-bounds.ts';
import type { EpcisEvents } from './epcis-node.ts';
import { jsonDocumentSteps } from './read-json.ts';
import { xmlDocumentSteps } from './read-xml.ts';
import { runStepsPaced } from './steps.ts';

/** The media types capture takes, and the syntax each one is. */
export const CAPTURE_MEDIA_TYPES: Readonly<Record<string, 'json' | 'xml'>> = {
  'application/json': 'json',
  'application/ld+json': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml',
};

/**
 * Reads a document sent as `mediaType` (parameters such as charset ignored), a few ms at a time so a
 * service reading a large one keeps answering; undefined for a media type capture does not take.
 * Rejects with EpcisDocumentError as the reader of its syntax throws.
 * @example await readEpcisDocument(body, 'application/ld+json', DEFAULT_READ_LIMITS)
 */
export async function readEpcisDocument(
  text: string,
  mediaType: string,
  limits: ReadLimits,
): Promise<EpcisEvents | undefined> {
  const syntax = CAPTURE_MEDIA_TYPES[mediaType.split(';')[0]!.trim().toLowerCase()];
  if (syntax === undefined) return undefined;
  return runStepsPaced(syntax === 'json' ? jsonDocumentSteps(text, limits) : xmlDocumentSteps(text, limits));
}
