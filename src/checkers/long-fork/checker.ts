import { UsageError } from "../../history/errors.ts";
import type { Budget, FlagText } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { checkLongFork, longForkAppliesBecause, LongForkFold, type LongForkOptions } from "./long-fork.ts";
import { longForkSection } from "./section.ts";

/** --group-size N (elle-cli's option): keys are read in groups of N consecutive integers. */
export function longForkOptions(flags: FlagText, budget: Budget = {}): LongForkOptions {
  const options: LongForkOptions = budget.deadline === undefined ? {} : { deadline: budget.deadline };
  if (flags.groupSize === undefined) return options;
  const groupSize = Number(flags.groupSize);
  if (!Number.isInteger(groupSize) || groupSize < 1) throw new UsageError(`--group-size ${flags.groupSize}: expected a positive integer`);
  return { ...options, groupSize };
}

export const longForkChecker = describeChecker({
  name: "long-fork",
  description: "Jepsen's long-fork: reads of a group of keys, each written once, must see the writes in one order (parallel snapshot isolation's anomaly)",
  appliesBecause: longForkAppliesBecause,
  flags: [{ flags: "--group-size <n>", description: "long-fork: keys are read in groups of n consecutive integers (elle-cli's option; default: inferred from the reads)" }],
  options: longForkOptions,
  check: (history, options) => checkLongFork(history, options),
  fold: (options) => new LongForkFold(options),
  section: longForkSection,
});
