import { noOptions } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { uniqueIdsSection } from "./section.ts";
import { checkUniqueIds, uniqueIdsAppliesBecause, UniqueIdsFold } from "./unique-ids.ts";

export const uniqueIdsChecker = describeChecker({
  name: "unique-ids",
  description: "Jepsen's unique-ids: the ids ok generates return are all different",
  appliesBecause: uniqueIdsAppliesBecause,
  options: noOptions,
  check: (history) => checkUniqueIds(history),
  fold: () => new UniqueIdsFold(),
  section: uniqueIdsSection,
});
