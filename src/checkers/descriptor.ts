import type { History } from "../history/history.ts";
import type { Section } from "../report/document.ts";
import type { FaultSpan } from "../report/fault-windows.ts";
import type { Budget, CheckerDefinition, CheckerFlag, CheckerParts, CheckerResult, FlagText, NamedResult, OperationFold, PartPlan } from "./checker.ts";

/**
 * A checker in full, as its folder's `checker.ts` exports it: the pure definition plus its report
 * section (which may use report's drawing primitives; the checking files never do).
 */
export interface CheckerDescriptor<Name extends string, Options, Result extends NamedResult<Name, unknown, object>> extends CheckerDefinition<Name, Options, Result> {
  /** The checker's report section; without one the report shows its evidence as data. */
  section?(result: Result, history: History, context: SectionContext): Section;
  /** The fault windows this result found: every time chart of the report shades them. */
  faultWindows?(result: Result): readonly FaultSpan[];
  /** Its table in a batch index (the 2013 talk's table: e.g. acknowledged, lost, present), one row per history it judged. */
  batchTable?: BatchTable<Result>;
}

/** A checker's figures side by side across the histories of a batch. */
export interface BatchTable<Result> {
  title: string;
  columns: readonly string[];
  /** One cell per column, as text; undefined when this result has no row (e.g. checked per key). */
  row(result: Result): string[] | undefined;
}

/** What a section may draw beside its own result: facts other checkers found about the same history. */
export interface SectionContext {
  faultWindows: readonly FaultSpan[];
}

/** A checker bound to its options for one run. */
export interface ConfiguredChecker<Result extends CheckerResult = CheckerResult> {
  check(history: History): Result;
  /** Present when the checker can stream. */
  fold?(): OperationFold<Result>;
  /** Present when its work splits into parts (checker.ts: CheckerParts), its options bound. */
  parts?: ConfiguredParts<Result>;
}

export interface ConfiguredParts<Result extends CheckerResult> extends Omit<CheckerParts<unknown, Result>, "plan"> {
  plan(history: History): PartPlan<Result> | Result;
}

/** A descriptor with its option type closed over: what the registry lists and everyone else uses. */
export interface RegisteredChecker<Result extends CheckerResult = CheckerResult> {
  readonly name: string;
  readonly description: string;
  readonly flags: readonly CheckerFlag[];
  readonly supersedes: readonly string[];
  readonly informational: boolean;
  /** Whether `configure(...).fold` exists: the checker can stream. */
  readonly folds: boolean;
  appliesBecause(history: History): string | undefined;
  /** Whether it can judge these ops when named with --checker (CheckerDefinition.judges). */
  judges(history: History): boolean;
  /** Validates the checker's flags (throwing UsageError) and binds its options. */
  configure(flags: FlagText, budget: Budget): ConfiguredChecker<Result>;
  /** Checks one part of its work, on any thread (parts need no options: they carry what they need). */
  checkPart?(part: unknown): unknown;
  /** This checker's section for one of its results; undefined for a failure or a checker without one. */
  section(result: CheckerResult, history: History, context: SectionContext): Section | undefined;
  /** The fault windows one of its results found (none for a failure or a checker that finds none). */
  faultWindows(result: CheckerResult): readonly FaultSpan[];
  /** Its batch table, the row taking any result (undefined for another checker's or a failure). */
  readonly batchTable: BatchTable<CheckerResult> | undefined;
}

export interface CheckerChoice<Result extends CheckerResult = CheckerResult> {
  checker: RegisteredChecker<Result>;
  /** Why it was picked, shown to the user. */
  reason: string;
  /** Requested with --checker but its ops are not there: not run; its outcome is `unknown` with this reason. */
  notApplicable?: string;
}

export function describeChecker<Name extends string, Options, Result extends NamedResult<Name, unknown, object>>(descriptor: CheckerDescriptor<Name, Options, Result>): RegisteredChecker<Result> {
  const { name, section, fold, parts, faultWindows, batchTable } = descriptor;
  const owns = (result: CheckerResult): result is Result => result.checker === name && !("failed" in result);
  return {
    name,
    description: descriptor.description,
    flags: descriptor.flags ?? [],
    supersedes: descriptor.supersedes ?? [],
    informational: descriptor.informational ?? false,
    folds: fold !== undefined,
    appliesBecause: (history) => descriptor.appliesBecause(history),
    judges: (history) => (descriptor.judges ? descriptor.judges(history) : descriptor.appliesBecause(history) !== undefined),
    configure(flags, budget) {
      const options = descriptor.options(flags, budget);
      const check = (history: History): Result => descriptor.check(history, options);
      const configured: ConfiguredChecker<Result> = fold ? { check, fold: () => fold(options) } : { check };
      if (parts) configured.parts = { ...parts, plan: (history) => parts.plan(history, options) };
      return configured;
    },
    checkPart: parts && ((part) => parts.checkPart(part)),
    section: (result, history, context) => (section && owns(result) ? section(result, history, context) : undefined),
    faultWindows: (result) => (faultWindows && owns(result) ? faultWindows(result) : []),
    batchTable: batchTable && { ...batchTable, row: (result: CheckerResult) => (owns(result) ? batchTable.row(result) : undefined) },
  };
}
