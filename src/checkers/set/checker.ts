import { REPORTED_SET_SUMMARY } from "../../history/annotations.ts";
import { deadlineOptions } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { withIndependentKeys } from "../independent/checker.ts";
import { formatPercent } from "../../history/values.ts";
import { setSection } from "./section.ts";
import { checkSetFull, SetFullFold } from "./set-full.ts";
import { setFullSection } from "./set-full-section.ts";
import { addsAreUnique, clientOps, collectionReadCount } from "./set-history.ts";
import { checkSet, SetFold } from "./set.ts";

export const setChecker = describeChecker(
  withIndependentKeys({
    name: "set",
    description: "set loss with one final read: acknowledged writes lost, unacknowledged writes present, never-attempted elements (Jepsen's set, the 2013 set app)",
    appliesBecause(history) {
      const adds = clientOps(history, "add");
      if (adds.length === 0) return undefined;
      if (history.annotations[REPORTED_SET_SUMMARY] !== undefined) return "a 2013 set-app log with a printed summary";
      const reads = collectionReadCount(history);
      if (reads === 1) return "adds, and one read returning a collection";
      if (reads === 0 && clientOps(history, "read").length === 0 && addsAreUnique(adds)) return "adds of unique elements (no read: loss cannot be judged)";
      return undefined;
    },
    judges: (history) => clientOps(history, "add").length > 0,
    options: deadlineOptions,
    check: (history, options) => checkSet(history, options),
    fold: (options) => new SetFold(options),
    section: setSection,
    batchTable: {
      title: "Sets: the 2013 talk's table",
      columns: ["attempted", "acknowledged", "false positives (acknowledged but lost)", "false negatives (unacknowledged but present)"],
      row: ({ stats: { counts, rates }, evidence }) =>
        evidence.finalRead
          ? [String(counts.attempted), `${counts.acknowledged} (${formatPercent(rates.ack)})`, `${counts.lost} (${formatPercent(rates.loss)})`, `${counts.recovered} (${formatPercent(rates.unackedPresent)})`]
          : [String(counts.attempted), `${counts.acknowledged} (${formatPercent(rates.ack)})`, "n/a: no final read", "n/a: no final read"],
    },
  }),
);

export const setFullChecker = describeChecker(
  withIndependentKeys({
    name: "set-full",
    description: "set with many reads (Jepsen's set-full): per element stable, lost or never read; visibility latency; duplicates",
    appliesBecause(history) {
      if (clientOps(history, "add").length === 0) return undefined;
      const reads = collectionReadCount(history);
      return reads > 1 ? `adds, and ${reads} reads returning collections` : undefined;
    },
    judges: (history) => clientOps(history, "add").length > 0,
    options: deadlineOptions,
    check: (history, options) => checkSetFull(history, options),
    fold: (options) => new SetFullFold(options),
    section: setFullSection,
    batchTable: {
      title: "Sets with many reads",
      columns: ["attempted", "acknowledged", "lost", "stale", "never read"],
      row: ({ stats: { counts, rates } }) => [String(counts.attempted), String(counts.acknowledged), `${counts.lost} (${formatPercent(rates.loss)})`, String(counts.stale), String(counts.neverRead)],
    },
  }),
);
