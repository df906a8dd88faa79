import { deadlineOptions } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { asWrite, checkLww } from "./lww.ts";
import { lwwSection } from "./section.ts";

export const lwwChecker = describeChecker({
  name: "lww",
  description: "last-write-wins ties: equal-timestamp writes to a cell, rows mixed from different writes, and how they compare with chance",
  appliesBecause(history) {
    return history.operations.some((o) => o.f === "write" && asWrite(o) !== undefined) ? 'writes of rows of cells carrying a timestamp ("ts")' : undefined;
  },
  // Row writes and reads would look like one big register to the linearizability checker.
  supersedes: ["linearizable"],
  options: deadlineOptions,
  check: (history, options) => checkLww(history, options),
  section: lwwSection,
  batchTable: {
    title: "Last-write-wins: corrupt rows",
    columns: ["rows read", "rows mixed from different writes", "mixed per 1,000 rows", "visible ties"],
    row: ({ stats: { counts, rates } }) => [String(counts.rowsRead), String(counts.corruptRows), rates.corruptRows === null ? "n/a" : (rates.corruptRows * 1000).toFixed(1), String(counts.visibleTies)],
  },
});
