import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/history/errors.ts";
import { loadHistory } from "../../src/load.ts";
import { jepsenLogParser } from "../../src/parsers/jepsen-log.ts";
import { writeTemp } from "../support/helpers.ts";

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
