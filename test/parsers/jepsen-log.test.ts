import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadHistory } from "../../src/load.ts";
import { runCli, writeTemp } from "../helpers.ts";

const tabbed = ["INFO  jepsen.util - 1\t:invoke\t:write\t3", "INFO  jepsen.util - 1\t:ok\t:write\t3", "INFO  jepsen.util - 2\t:invoke\t:cas\t[3 4]", "INFO  jepsen.util - 2\t:fail\t:cas\t[3 4]\t[:cas-failed 3]"];

describe("Jepsen text logs: what is an op line", () => {
  it("reads fields separated by runs of spaces like tabbed ones", async () => {
    const spaced = ["INFO  jepsen.util - 1   :invoke :write  3", "INFO  jepsen.util - 1   :ok     :write  3", "INFO  jepsen.util - 2   :invoke :cas    [3 4]", "INFO  jepsen.util - 2   :fail   :cas    [3 4]   [:cas-failed 3]"];
    const a = await loadHistory(writeTemp("tabs.log", tabbed.join("\n")));
    const b = await loadHistory(writeTemp("spaces.log", spaced.join("\n")));
    const shape = (h: typeof a): unknown => h.operations.map((o) => [o.process, o.f, o.input, o.outcome, o.output, o.error]);
    assert.deepEqual(shape(b), shape(a));
    assert.deepEqual(shape(a), [[1, "write", 3, "ok", 3, undefined], [2, "cas", [3, 4], "fail", [3, 4], ["cas-failed", 3]]]);
    const bare = await loadHistory(writeTemp("bare.txt", "0 :invoke :read nil\n0 :ok :read {:a [1 2]}\n"));
    assert.deepEqual(bare.operations[0]!.output, { a: [1, 2] });
  });

  it("refuses a line that starts like an op but does not read as one, at its column", async () => {
    const cases: [string, RegExp][] = [
      ["INFO  jepsen.util - 3\t:inv", /:2:\d+: expected P, :type and :f/],
      ["INFO  jepsen.util - 3", /:2:\d+: expected P, :type and :f/],
      ["INFO  jepsen.util - 3 :okay :write 4", /:2:\d+: :type must be one of/],
      ["INFO  jepsen.util - 3\t:invoke :write\t4", /:2:\d+: expected :type/],
      ["4\t:info\t:write\t[1 2", /:2:\d+: value: /],
      ["INFO  jepsen.util - 3   :invoke   :write   [4", /:2:44: value: /],
    ];
    for (const [line, expected] of cases) {
      const file = writeTemp("cut.log", `${tabbed[0]}\n${line}\n${tabbed[1]}\n`);
      await assert.rejects(loadHistory(file, { format: "jepsen-log" }), expected, line);
      const lenient = await loadHistory(file, { format: "jepsen-log", lenient: true });
      assert.equal(lenient.skippedCount, 1, line);
      const r = await runCli(["analyze", file, "--format", "jepsen-log", "--lenient", "--report", "none", "--json"]);
      assert.notEqual((JSON.parse(r.stdout) as { valid: unknown }).valid, true, line);
    }
  });

  it("skips as foreign only lines that do not start like an op", async () => {
    const h = await loadHistory(writeTemp("noise.log", ["INFO  jepsen.util - Timing out after 5 s", "INFO  jepsen.core - Running test", "WARN  x - 3\t:invoke", ...tabbed].join("\n")));
    assert.equal(h.annotations.ignoredLines, 3);
  });
});
