import type { Deadline } from "../../src/checkers/deadline.ts";

/** A deadline on a clock the test moves by hand: deterministic, whatever the machine's speed. */
export function manualDeadline(limitMs = 200): { deadline: Deadline; clock: { now: number } } {
  const clock = { now: 0 };
  return { deadline: { at: limitMs, limitMs, clock: () => clock.now }, clock };
}

/** A deadline already past when the work starts. */
export function pastDeadline(limitMs = 200): Deadline {
  const { deadline, clock } = manualDeadline(limitMs);
  clock.now = limitMs;
  return deadline;
}
