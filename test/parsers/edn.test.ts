import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadHistory } from "../../src/load.ts";
import { writeTemp } from "../helpers.ts";

const OP = "{:type :invoke, :f :read, :process 0, :value";

describe("EDN limits", () => {
  it("refuses nesting 5,000 deep with its place, for collections, tags and discards", async () => {
    for (const [name, value] of [
      ["vectors", `${"[".repeat(5000)}${"]".repeat(5000)}`],
      ["maps", `${"{:a ".repeat(5000)}1${"}".repeat(5000)}`],
      ["tags", `${"#t ".repeat(5000)}1`],
      ["discards", `${"#_ ".repeat(5000)}1 2`],
    ]) {
      await assert.rejects(loadHistory(writeTemp(`${name}.edn`, `${OP} nil}\n${OP} ${value}}\n`)), new RegExp(`${name}\\.edn:2:\\d+: value nested deeper than 512 levels`), name);
    }
  });

  it("reads nesting up to the cap", async () => {
    const h = await loadHistory(writeTemp("ok.edn", `${OP} ${"[".repeat(511)}${"]".repeat(511)}}\n`));
    assert.equal(h.recordCount, 1);
  });

  it("refuses a key given twice in one map at the second key, in the first record too", async () => {
    await assert.rejects(loadHistory(writeTemp("dup.edn", "{:type :fail, :f :write,\n :process 0, :type :ok}\n")), /dup\.edn:2:14: key "type" given twice in one map/);
    await assert.rejects(loadHistory(writeTemp("dup2.edn", `[${OP} nil}\n ${OP} {:x 1 :x 2}}]`)), /dup2\.edn:2:53: key "x" given twice/);
  });

  it("with --lenient skips the bad map, counts it, and reads on", async () => {
    const h = await loadHistory(writeTemp("dup3.edn", `${OP} nil, :f :write}\n{:type :ok, :f :read, :process 0, :value 1}\n`), { lenient: true });
    assert.equal(h.skippedCount, 1);
    assert.equal(h.operations.length, 1);
  });
});
