import { deadlineOptions } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { uniqueIdsSection } from "./section.ts";
import { checkUniqueIds, uniqueIdsAppliesBecause, UniqueIdsFold } from "./unique-ids.ts";

export const uniqueIdsChecker = describeChecker({
  name: "unique-ids",
  description: "Jepsen's unique-ids: the ids ok generates return are all different",
  appliesBecause: uniqueIdsAppliesBecause,
  options: deadlineOptions,
  check: (history, options) => checkUniqueIds(history, options),
  fold: (options) => new UniqueIdsFold(options),
  section: uniqueIdsSection,
});
