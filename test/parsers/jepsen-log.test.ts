import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/history/errors.ts";
import { loadHistory } from "../../src/load.ts";
import fc from "fast-check";
import { jepsenLogParser, readLine, readLineInGeneral } from "../../src/parsers/jepsen-log.ts";
import { runCli, writeTemp } from "../support/helpers.ts";

describe("Jepsen text logs", () => {
  it("reads the 2014–16 prefix, the later timestamped prefix and bare history.txt lines alike", async () => {
    const body = ["0\t:invoke\t:cas\t[1 2]", "0\t:fail\t:cas\t[1 2]\t:cas-failed", ":nemesis\t:info\t:start\tnil", "1\t:invoke\t:read\tnil", "1\t:ok\t:read\t{:a \"x\"}"];
    const prefixes = ["INFO  jepsen.util - ", "2021-02-26 11:42:48,806{GMT}\tINFO\t[jepsen worker 1] jepsen.util: ", ""];
    for (const prefix of prefixes) {
      const file = writeTemp("jepsen.log", ["INFO  jepsen.core - Running test", ...body.map((l) => prefix + l), "WARN  some.other - noise"].join("\n"));
      const history = await loadHistory(file);
      assert.equal(history.format, "jepsen-log");
      assert.deepEqual(
        history.operations.map((o) => [o.process, o.f, o.input, o.outcome, o.output, o.error]),
        [
          [0, "cas", [1, 2], "fail", [1, 2], "cas-failed"],
          ["nemesis", "start", null, "info", undefined, undefined],
          [1, "read", null, "ok", { a: "x" }, undefined],
        ],
      );
      assert.equal(history.annotations.ignoredLines, 2);
    }
  });

  it("keeps an error that is not EDN as text", async () => {
    const history = await loadHistory(writeTemp("e.log", "INFO  jepsen.util - 3\t:invoke\t:write\t4\nINFO  jepsen.util - 3\t:info\t:write\t4\tconnection reset by peer\n"));
    assert.equal(history.operations[0]!.error, "connection reset by peer");
  });

  it("points at the bad value with line:col", async () => {
    const file = writeTemp("bad.log", "INFO  jepsen.util - 3\t:invoke\t:write\t[4\n");
    await assert.rejects(loadHistory(file), (e: unknown) => e instanceof InputError && e.toString() === `${file}:1:38: value: the input ended inside a form opened here; expected a closing ']'`);
  });

  it("skips and counts an unreadable op line with --lenient", async () => {
    const file = writeTemp("l.log", "0\t:invoke\t:read\tnil\n1\t:invoke\t:read\t#{\n0\t:ok\t:read\t5\n");
    const history = await loadHistory(file, { lenient: true });
    assert.deepEqual([history.skippedCount, history.skipped[0]!.line, history.skipped[0]!.column, history.operations.length], [1, 2, 17, 1]);
  });

  it("does not claim 2013 set-app logs or EDN", () => {
    assert.notEqual(jepsenLogParser.sniff("122\t:ok\t13211\t██\n"), true);
    assert.notEqual(jepsenLogParser.sniff("{:type :invoke, :f :read, :process 0}\n"), true);
    assert.equal(jepsenLogParser.sniff("noise\nINFO  jepsen.util - 0\t:invoke\t:read\tnil\n"), true);
  });
});

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

describe("jepsen-log plain-line fast path", () => {
  const digits = (max: number) => fc.stringMatching(new RegExp(`^-?\\d{1,${max}}$`));
  const keyword = fc.stringMatching(/^:[a-z][\w-]{0,8}$/);
  const value = fc.oneof(fc.constant("nil"), digits(17), fc.tuple(digits(17), digits(17)).map(([a, b]) => `[${a} ${b}]`), fc.constantFrom("[1  2]", "[1 2 3]", ":x", "{:a 1}", "-0", "007"));
  const line = fc
    .tuple(fc.constantFrom("", "INFO  jepsen.util - ", "INFO jepsen.util - ", "2021-02-26 11:42:48,806{GMT}\tINFO\t[jepsen worker 1] jepsen.util: "), fc.stringMatching(/^\d{1,17}$/), keyword, keyword, value, fc.constantFrom("", "\t:timeout", " ", "\t"))
    .map(([prefix, process, type, f, v, tail]) => `${prefix}${process}\t${type}\t${f}\t${v}${tail}`);

  it("reads every line exactly as the general path does (op, column or problem)", () => {
    fc.assert(fc.property(line, (text) => assert.deepEqual(readLine(text), readLineInGeneral(text))), { numRuns: 3000 });
  });
});
