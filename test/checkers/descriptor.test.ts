import assert from "node:assert/strict";
import { test } from "node:test";
import { failedResult, type NamedResult } from "../../src/checkers/checker.ts";
import { describeChecker } from "../../src/checkers/descriptor.ts";
import { UsageError } from "../../src/history/errors.ts";
import { historyOf } from "../support/helpers.ts";

type CountResult = NamedResult<"count", { limit: number }, { ops: number }>;

const counting = describeChecker({
  name: "count",
  description: "at most --limit operations",
  appliesBecause: (history) => (history.operations.length > 0 ? "it has operations" : undefined),
  flags: [{ flags: "--limit <n>", description: "the most operations allowed" }],
  options(flags, budget) {
    const limit = Number(flags.limit ?? "1");
    if (!Number.isInteger(limit)) throw new UsageError(`--limit ${flags.limit}: expected an integer`);
    return { limit, budget };
  },
  check: (history, { limit }): CountResult => ({ checker: "count", valid: history.operations.length <= limit, summary: "counted", evidence: { limit }, stats: { ops: history.operations.length } }),
  section: (result) => ({ id: "count", title: `${result.stats.ops} of ${result.evidence.limit}`, valid: result.valid, blocks: [] }),
});

const history = historyOf([
  { type: "invoke", f: "read", process: 0 },
  { type: "ok", f: "read", process: 0 },
  { type: "invoke", f: "read", process: 1 },
  { type: "ok", f: "read", process: 1 },
]);

test("configure validates the checker's own flags and binds its options to check", () => {
  assert.throws(() => counting.configure({ limit: "many" }, {}), UsageError);
  assert.equal(counting.configure({ limit: "2" }, {}).check(history).valid, true);
  assert.equal(counting.configure({}, {}).check(history).valid, false);
  assert.equal(counting.configure({}, {}).fold, undefined, "no fold unless the descriptor has one");
  assert.equal(counting.folds, false);
  assert.deepEqual(counting.flags.map((f) => f.flags), ["--limit <n>"]);
  assert.deepEqual([counting.supersedes, counting.informational], [[], false]);
});

test("a descriptor draws only its own results, never another checker's or a failure", () => {
  const own = counting.configure({ limit: "9" }, {}).check(history);
  assert.equal(counting.section(own, history, { faultWindows: [] })?.title, "2 of 9");
  assert.equal(counting.section({ ...own, checker: "other" }, history, { faultWindows: [] }), undefined);
  assert.equal(counting.section(failedResult("count", new Error("boom")), history, { faultWindows: [] }), undefined);
});
