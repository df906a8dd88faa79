import assert from "node:assert/strict";
import { test } from "node:test";
import { isPerKey } from "../../../src/checkers/independent/independent.ts";
import { setChecker } from "../../../src/checkers/set/checker.ts";
import { setSection } from "../../../src/checkers/set/section.ts";
import { historyOf } from "../../support/lin-histories.ts";

test("the per-key section tables every key's verdict, each key linked to its part of the timeline, and shows the failing key's own section", () => {
  const history = historyOf([
    [0, "invoke", "add", [1, 10]],
    [0, "ok", "add", [1, 10]],
    [1, "invoke", "add", [2, 20]],
    [1, "ok", "add", [2, 20]],
    [0, "invoke", "read", [1, null]],
    [0, "ok", "read", [1, [10]]],
    [1, "invoke", "read", [2, null]],
    [1, "ok", "read", [2, []]],
  ]);
  const result = setChecker.configure({}, {}).check(history);
  assert.ok(isPerKey(result));
  assert.equal(result.valid, false);
  assert.deepEqual(result.evidence.failingKeys, [2]);
  const section = setChecker.section(result, history, { faultWindows: [] })!;
  assert.equal(section.title, "set (per key)");
  const table = section.blocks.find((b) => b.kind === "table");
  assert.deepEqual(table?.kind === "table" && table.rows.map((r) => r.slice(0, 2)), [
    // A valid key opens the timeline across its ops (first to last); a failing key at its evidence.
    [{ text: "1", timeline: [0, 2] }, "valid"],
    [{ text: "2", timeline: result.evidence.keys[1]!.result.focus }, "invalid"],
  ]);
  assert.ok((result.evidence.keys[1]!.result.focus ?? []).includes(3), "key 2's evidence is its read that lost 20");
  const inner = setSection(result.evidence.keys[1]!.result, history, { faultWindows: [] });
  assert.ok(section.blocks.some((b) => b.kind === "paragraph" && b.text === `key 2 — ${inner.title}:`));
  assert.equal(section.blocks.filter((b) => b.kind === "paragraph" && b.text.startsWith("key ")).length, 1);
});
