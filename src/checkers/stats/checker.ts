import { noOptions } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { statsSection } from "./section.ts";
import { checkStats, StatsFold } from "./stats.ts";

export const statsChecker = describeChecker({
  name: "stats",
  description: "counts, availability, latency quantiles, throughput and fault windows",
  appliesBecause: () => "always: every history has counts, availability and latency",
  informational: true,
  options: noOptions,
  check: (history) => checkStats(history),
  fold: () => new StatsFold(),
  section: statsSection,
  faultWindows: (result) => result.evidence.faultWindows,
});
