import type { History } from "../history/history.ts";
import type { Operation } from "../history/op.ts";
import { UsageError } from "../history/errors.ts";
import { TimeLimitReached, type Deadline, type DeadlineOptions } from "./deadline.ts";

/** Three-valued: `unknown` whenever a search was cut short, input was skipped or nothing could be judged. */
export type Validity = true | false | "unknown";

/** false beats unknown beats true (nothing to combine: unknown). */
export function combineValidity(values: Validity[]): Validity {
  if (values.includes(false)) return false;
  if (values.includes("unknown") || values.length === 0) return "unknown";
  return true;
}

export interface CheckerResult<Evidence = unknown, Stats extends object = object> {
  checker: string;
  valid: Validity;
  /** One sentence a person can read at a glance. */
  summary: string;
  /** Data first: indices of the ops involved, so every invalid verdict names its proof. */
  evidence: Evidence;
  stats: Stats;
  /**
   * Operation ids (Operation.id) the evidence centres on, e.g. a linearizability culprit and
   * the ops concurrent with it, or a cycle's transactions: the report's timeline opens there.
   */
  focus?: number[];
}

/** A checker's own result type: its name as a literal, the discriminant of the registry's union. */
export type NamedResult<Name extends string, Evidence, Stats extends object> = CheckerResult<Evidence, Stats> & { checker: Name };

/** A checker that threw: `unknown`, with the error, never a crash (past --time-limit: with that reason). */
export interface FailedResult extends CheckerResult<{ error: string }, Record<string, never>> {
  failed: true;
}

export function failedResult(checker: string, error: unknown): FailedResult {
  const message = error instanceof Error ? error.message : String(error);
  return { checker, valid: "unknown", summary: error instanceof TimeLimitReached ? message : `the checker failed: ${message}`, evidence: { error: message }, stats: {}, failed: true };
}

/** What every checker receives from the run, whatever its own options. */
export interface Budget {
  /** Wall-clock budget in milliseconds for the whole analysis of one history (--time-limit). */
  timeLimitMs?: number;
  /** That budget's end, set when the analysis starts: reading, building and searching all stop there. */
  deadline?: Deadline;
  /** Memory budget in MB for a checker's own structures (e.g. a search memo), enforced inside (--memory-limit). */
  memoryLimitMb?: number;
}

/**
 * A checker's own command-line flag. The CLI adds it to `analyze` as a string option; the
 * checker's `options` reads and validates the text.
 */
export interface CheckerFlag {
  /** Commander syntax, e.g. "--model <name>"; the value arrives under the camel-cased long name ("model"). */
  flags: string;
  description: string;
}

/** Every checker flag's text as given, keyed by camel-cased name: plain data, so it crosses threads. */
export type FlagText = Readonly<Record<string, string | undefined>>;

/** For checkers that take no options of their own. */
export type NoOptions = Record<string, never>;
export const noOptions = (): NoOptions => ({});

/** For checkers whose only option is the analysis's deadline (their folds read it). */
export const deadlineOptions = (_flags: FlagText, budget: Budget): DeadlineOptions => ({ deadline: budget.deadline });

/** Shared by the checkers that start from a state (linearizable's model, counter's value). */
export const INITIAL_FLAG: CheckerFlag = { flags: "--initial <json>", description: "initial state, as JSON (linearizable: the model's; counter: its value)" };

/** The --initial value; undefined when absent. */
export function initialState(flags: FlagText): unknown {
  const text = flags.initial;
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--initial ${text}: expected JSON, e.g. 0, null or '{"x":0}'`);
  }
}

/**
 * A checker that consumes operations one at a time, so that a huge history streams through it
 * without being held in memory. Operations arrive in completion order (`completeIndex`); those
 * never completed come last, in invocation order — the order a streaming read produces them.
 */
export interface OperationFold<Result extends CheckerResult = CheckerResult> {
  add(operation: Operation): void;
  /** `history` is everything read but the operations (annotations, counts). */
  finish(history: Omit<History, "operations">): Result;
}

/**
 * Everything a checker is, apart from how its result is drawn (`descriptor.ts` adds the report
 * section). Pure: history in, result out; never prints, reads files or starts threads.
 */
export interface CheckerDefinition<Name extends string, Options, Result extends NamedResult<Name, unknown, object>> {
  /** The --checker name; stable. */
  name: Name;
  description: string;
  /** The checker's own flags (the CLI lists them under `analyze`). */
  flags?: readonly CheckerFlag[];
  /** Reads and validates this checker's flags (throwing UsageError) into its options. */
  options(flags: FlagText, budget: Budget): Options;
  /** Why this checker applies to a history (for --checker auto), or undefined when it does not. */
  appliesBecause(history: History): string | undefined;
  /**
   * Whether it can judge these ops when named with --checker, where auto's test may be stricter
   * (auto picks set or set-full by the number of reads; either can judge adds and reads).
   * Without it, what auto would pick.
   */
  judges?(history: History): boolean;
  check(history: History, options: Options): Result;
  /** Present when the checker can stream; then `check` must equal folding the history (fold.ts: foldHistory). */
  fold?(options: Options): OperationFold<Result>;
  /**
   * Checkers that `--checker auto` should not also run when this one applies, because this one
   * understands the ops better (LWW row writes look like register writes to linearizability).
   */
  supersedes?: readonly string[];
  /** Measures rather than judges (stats): its `true` alone never makes a history valid. */
  informational?: boolean;
  /** Present when its work splits into independent parts a runner may spread over threads. */
  parts?: CheckerParts<Options, Result>;
}

/**
 * A checker's work as independent parts: `plan` runs where the history is; each part is plain
 * data (see workers/runner.ts: Task) that `checkPart` checks on any thread; the plan's `compose`
 * joins the results, in part order, up to and including the plan's first `decisive` one. That must give
 * `check`'s result, however the parts were run.
 */
export interface CheckerParts<Options, Result extends CheckerResult, Part = unknown, PartResult = unknown> {
  /** The parts, or the result itself when there is nothing to split. */
  plan(history: History, options: Options): PartPlan<Result, Part, PartResult> | Result;
  checkPart(part: Part): PartResult;
  /** Estimated work (operations), to decide whether a thread is worth starting for it. */
  cost(part: Part): number;
  /** Stands for a part whose run was lost (its worker stopped, e.g. past --memory-limit). */
  lost(part: Part, reason: string): PartResult;
}

export interface PartPlan<Result, Part = unknown, PartResult = unknown> {
  parts: Part[];
  compose(results: PartResult[]): Result;
  /** A result that settles the whole (a violation, when the options ask to stop there): later parts need not run. */
  decisive?(result: PartResult): boolean;
}
