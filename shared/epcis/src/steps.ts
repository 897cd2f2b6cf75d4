// Long reads (a 10,000-event document takes a good part of a second) are written as generators that
// yield between events, so the same code runs straight through (tests, tools) or a few ms at a time
// on a service's thread, which must keep answering its other requests meanwhile.
import { WorkSlices } from '@rxledger/runtime';

/** Work that yields (undefined) at points where it may be paused, and returns its result. */
export type Steps<T> = Generator<undefined, T, undefined>;

/** Runs `steps` to the end without pausing. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs `steps` a few ms at a time, letting the event loop run between slices. */
export async function runStepsPaced<T>(steps: Steps<T>): Promise<T> {
  const slices = new WorkSlices();
  for (;;) {
    if (slices.due) await slices.next();
    const step = steps.next();
    if (step.done) return step.value;
  }
}
