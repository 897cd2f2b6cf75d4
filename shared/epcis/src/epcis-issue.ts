// Why a document is refused: every issue names the event (its index in the document's event list),
// the EPCIS field and the reason, so the sender can find it in their own document.

/** One problem: `index` is the event's position in eventList (absent for the document itself). */
export interface EpcisIssue {
  index?: number;
  field: string;
  reason: string;
}

/** A document refused as a whole; nothing of it is published. */
export class EpcisDocumentError extends Error {
  readonly issues: EpcisIssue[];

  constructor(issues: EpcisIssue[]) {
    const first = issues[0];
    const where = first?.index === undefined ? '' : `event ${first.index}: `;
    super(first ? `${where}${first.field} ${first.reason}` : 'the EPCIS document is refused');
    this.issues = issues;
  }
}

/** Throws EpcisDocumentError for one problem of the document as a whole. */
export function refuseDocument(field: string, reason: string): never {
  throw new EpcisDocumentError([{ field, reason }]);
}
