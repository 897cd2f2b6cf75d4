import type { ReadLimits } from './epcis-bounds.ts';
import type { EpcisEvents } from './epcis-node.ts';
import { readJsonDocument } from './read-json.ts';
import { readXmlDocument } from './read-xml.ts';

/** The media types capture takes, and the syntax each one is. */
export const CAPTURE_MEDIA_TYPES: Readonly<Record<string, 'json' | 'xml'>> = {
  'application/json': 'json',
  'application/ld+json': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml',
};

/**
 * Reads a document sent as `mediaType` (parameters such as charset ignored); undefined for a media
 * type capture does not take. Throws EpcisDocumentError as the reader of its syntax does.
 * @example readEpcisDocument(body, 'application/ld+json', DEFAULT_READ_LIMITS)
 */
export function readEpcisDocument(
  text: string,
  mediaType: string,
  limits: ReadLimits,
): EpcisEvents | undefined {
  const syntax = CAPTURE_MEDIA_TYPES[mediaType.split(';')[0]!.trim().toLowerCase()];
  if (syntax === undefined) return undefined;
  return syntax === 'json' ? readJsonDocument(text, limits) : readXmlDocument(text, limits);
}
