// Verify at the dispensing pharmacy's counter says which dispense it may still undo, and until when:
// the same rule as the undo's admission (undo-rule.ts), judged at the time of the scan.

import { describe, expect, it } from 'vitest';
import { judgeVerify } from '../../src/answers/judge-verify.ts';
import { GTIN, history, MAKER, OTHER_PHARMACY, pack, PHARMACY, T0 } from '../custody/history.ts';

const DAY = 86_400_000;
const p1 = pack('V1');
const DISPENSED_AT = T0 + 3_600_000;
const dispensed = () =>
  history()
    .commission(MAKER, [p1])
    .ship(MAKER, [p1], PHARMACY)
    .receive(PHARMACY, [p1], MAKER)
    .dispense(PHARMACY, [p1], { at: DISPENSED_AT });

const verifyAt = (h: ReturnType<typeof history>, at: string | undefined, now: number) =>
  judgeVerify({ gtin: GTIN, serial: 'V1' }, h.state(p1), {
    today: new Date(now).toISOString().slice(0, 10),
    role: 'pharmacist',
    productKnown: true,
    ...(at === undefined ? {} : { at }),
    now,
  });

describe('verify: the undo hint at the dispensing counter', () => {
  it('names the dispense and the deadline, 10 days after its eventTime', () => {
    const answer = verifyAt(dispensed(), PHARMACY, DISPENSED_AT + DAY);
    expect(answer).toMatchObject({ status: 'DISPENSED', dispensable: false });
    expect(answer.undo).toEqual({
      dispense: 'evt-4',
      until: new Date(DISPENSED_AT + 10 * DAY).toISOString(),
    });
  });

  it('is absent elsewhere, after the deadline, once recalled, without a counter, and for a pack in stock', () => {
    expect(verifyAt(dispensed(), OTHER_PHARMACY, DISPENSED_AT + DAY).undo).toBeUndefined();
    expect(verifyAt(dispensed(), PHARMACY, DISPENSED_AT + 10 * DAY + 1).undo).toBeUndefined();
    expect(verifyAt(dispensed().recall(MAKER, 'LOT1'), PHARMACY, DISPENSED_AT + DAY).undo).toBeUndefined();
    expect(verifyAt(dispensed(), undefined, DISPENSED_AT + DAY).undo).toBeUndefined();
    const undone = dispensed().undo(PHARMACY, 'evt-4', [p1]);
    expect(verifyAt(undone, PHARMACY, DISPENSED_AT + DAY)).toMatchObject({
      status: 'ACTIVE',
      dispensable: true,
    });
    expect(verifyAt(undone, PHARMACY, DISPENSED_AT + DAY).undo).toBeUndefined();
  });
});
