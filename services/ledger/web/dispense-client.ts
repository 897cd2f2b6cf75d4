// The pharmacy's DISPENSE of one pack, and the UNDO_DISPENSE that returns it to stock, posted to the
// pharmacy service that served the page (same origin) under the counter scanner's key, then followed
// until the ledger has judged it: a pack is only called dispensed, or returned to stock, once the
// ledger ACCEPTED the event.

export type DispenseResult = { ok: true; eventId: string } | { ok: false; problem: string };

const WAIT_S = 15;

/** Dispenses `item` (an SGTIN URI). */
export function dispensePack(item: string, token: string): Promise<DispenseResult> {
  return postAndFollow({ type: 'DISPENSE', items: [item] }, token, 'Not dispensed');
}

/** Undoes the dispense `dispense` (its eventId) of `item`: the EU's 10-day reversal. */
export function undoDispense(item: string, dispense: string, token: string): Promise<DispenseResult> {
  return postAndFollow({ type: 'UNDO_DISPENSE', dispense, items: [item] }, token, 'Not undone');
}

// Posts one event and follows it; `not` opens every problem ("Not dispensed", "Not undone").
async function postAndFollow(event: object, token: string, not: string): Promise<DispenseResult> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let eventId: string;
  try {
    const res = await fetch('/v1/events', {
      method: 'POST',
      headers,
      body: JSON.stringify({ events: [event] }),
      signal: AbortSignal.timeout(WAIT_S * 1000),
    });
    const body = (await res.json().catch(() => null)) as {
      eventIds?: string[];
      error?: { message?: string };
    } | null;
    if (res.status !== 202 || !body?.eventIds?.[0])
      return {
        ok: false,
        problem: `${not}: the service answered ${res.status}: ${body?.error?.message ?? 'no reason given'}.`,
      };
    eventId = body.eventIds[0];
  } catch {
    return { ok: false, problem: `${not}: the pharmacy service cannot be reached. Try again.` };
  }
  return followEvent(eventId, headers, not);
}

/** Polls GET /v1/events/{id} until the ledger ACCEPTED or REJECTED the event, or WAIT_S passed. */
async function followEvent(
  eventId: string,
  headers: Record<string, string>,
  not: string,
): Promise<DispenseResult> {
  const deadline = Date.now() + WAIT_S * 1000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    try {
      const res = await fetch(`/v1/events/${encodeURIComponent(eventId)}`, { headers });
      const body = (await res.json()) as { state?: string; reason?: { code?: string; message?: string } };
      if (body.state === 'ACCEPTED') return { ok: true, eventId };
      if (body.state === 'REJECTED')
        return {
          ok: false,
          problem: `${not}: the ledger refused it (${body.reason?.code ?? 'no code'}: ${body.reason?.message ?? ''}).`,
        };
    } catch {
      // the next poll tries again until the deadline
    }
  }
  return {
    ok: false,
    problem: `Sent, but the ledger has not confirmed it within ${WAIT_S} s. Scan the pack again to see.`,
  };
}
