import { deadlineOptions } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { statsSection } from "./section.ts";
import { checkStats, StatsFold } from "./stats.ts";

export const statsChecker = describeChecker({
  name: "stats",
  description: "counts, availability, latency quantiles, throughput and fault windows",
  appliesBecause: () => "always: every history has counts, availability and latency",
  informational: true,
  options: deadlineOptions,
  check: (history, options) => checkStats(history, options),
  fold: (options) => new StatsFold(options),
  section: statsSection,
  faultWindows: (result) => result.evidence.faultWindows,
});
