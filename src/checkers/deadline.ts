import { plural } from "../history/values.ts";

/**
 * When the analysis of one history must stop (--time-limit), set once when it starts, and the
 * clock it is read from: injected, so that checkers stay deterministic under test.
 */
export interface Deadline {
  /** In the clock's milliseconds. */
  at: number;
  limitMs: number;
  clock: () => number;
}

/** The deadline of an analysis starting now; undefined without --time-limit. */
export function startDeadline(limitMs: number | undefined, clock: () => number = Date.now): Deadline | undefined {
  return limitMs === undefined ? undefined : { at: clock() + limitMs, limitMs, clock };
}

/** What a search may still spend (ms): up to the deadline when one is set, else the bare --time-limit. */
export function remainingMs(deadline: Deadline | undefined, limitMs: number | undefined): number | undefined {
  return deadline === undefined ? limitMs : Math.max(0, deadline.at - deadline.clock());
}

/** Thrown where the deadline is checked; the guards turn it into an `unknown` result with its message. */
export class TimeLimitReached extends Error {}

/** Units of work between two readings of the clock: often enough to stop within milliseconds, rare enough to cost nothing. */
export const DEADLINE_EVERY = 4096;

/** Counts units of work and reads the clock every `every` of them; throws TimeLimitReached once past the deadline. */
export class DeadlineWatch {
  private done = 0;

  constructor(
    private readonly deadline: Deadline | undefined,
    private readonly doing: string,
    private readonly unit: string,
    private readonly every = DEADLINE_EVERY,
  ) {}

  tick(): void {
    if (this.deadline === undefined || ++this.done % this.every !== 0 || this.deadline.clock() < this.deadline.at) return;
    throw new TimeLimitReached(`the --time-limit of ${this.deadline.limitMs / 1000} s was reached while ${this.doing}, after ${plural(this.done, this.unit)}`);
  }
}

/** The options of a checker whose only option is the analysis's deadline (its folds read it). */
export interface DeadlineOptions {
  deadline?: Deadline;
}
