import assert from "node:assert/strict";
import type { Deadline } from "../../src/checkers/deadline.ts";
import type { RegisteredChecker } from "../../src/checkers/descriptor.ts";
import { guardedCheck } from "../../src/checkers/guard.ts";
import type { History } from "../../src/history/history.ts";

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

/** A deadline its clock reaches at the `n`-th reading: the work stops at its n-th check. */
export function deadlinePassingAt(n: number, limitMs = 200): Deadline {
  let reads = 0;
  return { at: limitMs, limitMs, clock: () => (++reads >= n ? limitMs : 0) };
}

/** How often a checker reads the clock on a history while the deadline is ahead. */
export function clockReadings(checker: RegisteredChecker, history: History): number {
  let reads = 0;
  const deadline: Deadline = { at: 200, limitMs: 200, clock: () => (reads++, 0) };
  checker.configure({}, { timeLimitMs: 200, deadline }).check(history);
  return reads;
}

/**
 * `deadline` reached: the checker's result is unknown, its summary the reason; a deadline still
 * ahead changes nothing.
 */
export function assertStopsAtDeadline(checker: RegisteredChecker, history: History, deadline: Deadline, summary: string): void {
  const cut = guardedCheck(checker.name, () => checker.configure({}, { timeLimitMs: deadline.limitMs, deadline }).check(history));
  assert.equal(cut.valid, "unknown");
  assert.equal(cut.summary, summary);
  const ahead = checker.configure({}, { timeLimitMs: 200, deadline: manualDeadline().deadline }).check(history);
  assert.deepEqual(ahead, checker.configure({}, {}).check(history));
}
