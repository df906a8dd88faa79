import { INITIAL_FLAG, initialState } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { withIndependentKeys } from "../independent/checker.ts";
import { addsAreUnique, clientOps } from "../set/set-history.ts";
import { checkCounter, CounterFold, type CounterOptions } from "./counter.ts";
import { counterSection, largestDrift } from "./section.ts";

export const counterChecker = describeChecker(
  withIndependentKeys({
    name: "counter",
    description: "counter: each read within [acknowledged before it, attempted by its end]; drift absolute and relative; the final read against acknowledged increments",
    appliesBecause(history) {
      const adds = clientOps(history, "add");
      if (adds.length === 0 || !adds.every((o) => typeof o.input === "number")) return undefined;
      const reads = clientOps(history, "read").filter((o) => o.outcome === "ok");
      if (reads.some((o) => typeof o.output === "number")) return "adds of numbers, and reads returning a number";
      if (clientOps(history, "read").length === 0 && !addsAreUnique(adds)) return "adds of repeated numbers (increments); no read";
      return undefined;
    },
    flags: [INITIAL_FLAG],
    options(flags, budget): CounterOptions {
      const initial = initialState(flags);
      // A non-numeric --initial is a model state for linearizability; the counter then starts at 0.
      return typeof initial === "number" ? { initial, deadline: budget.deadline } : { deadline: budget.deadline };
    },
    check: (history, options) => checkCounter(history, options),
    fold: (options) => new CounterFold(options),
    section: counterSection,
    batchTable: {
      title: "Counters: drift",
      columns: ["reads", "reads out of bounds", "largest drift above (% of the bound)", "largest drift below (% of the bound)"],
      row: ({ stats: { counts }, evidence: { errors } }) => [String(counts.reads), String(counts.errors), largestDrift(errors, 1), largestDrift(errors, -1)],
    },
  }),
);
