import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { REPORTED_SET_SUMMARY, type ReportedSetSummary } from "../../src/history/annotations.ts";
import { InputError } from "../../src/history/errors.ts";
import type { History } from "../../src/history/history.ts";
import { loadHistory } from "../../src/load.ts";
import { runCli, writeTemp } from "../support/helpers.ts";

async function load(text: string, lenient = false): Promise<History> {
  return loadHistory(writeTemp("set.log", text), { lenient });
}

function clientOps(history: History) {
  return history.operations.filter((o) => o.f === "add").map((o) => [o.input, o.outcome, o.invoke.client]);
}

describe("2013 set-app logs", () => {
  it("reads every request layout the transcriptions use", async () => {
    const layouts = [
      "10\t:ok\t600\t█▎",
      "11 :ok 12",
      "12\t:\tok\t4",
      "13\t:ok\t7\t",
      "14 :error 10080 [██████]",
      "\x1b[32m15\x1b[0m\t\x1b[32m:ok\x1b[0m\t\x1b[33m5\x1b[0m\t\x1b[32m▏\x1b[0m",
      "16\t:ok",
      "17\t\t45\t▏",
      "18\tConnection refused",
    ];
    const history = await load(layouts.join("\n") + "\n");
    assert.equal(history.format, "set-app-2013");
    assert.deepEqual(clientOps(history), [
      [10, "ok", 0],
      [11, "ok", 1],
      [12, "ok", 2],
      [13, "ok", 3],
      [14, "info", 4],
      [15, "ok", 0],
      [16, "ok", 1],
      [17, "info", 2],
      [18, "info", 3],
    ]);
    const byElement = new Map(history.operations.map((o) => [o.input, o]));
    assert.equal(byElement.get(18)!.error, "Connection refused");
    assert.equal(byElement.get(14)!.invoke.timeSynthetic, true);
  });

  it("lays requests on a synthetic timeline: 100 ms apart, completing after their latency", async () => {
    const history = await load("1\t:ok\t300\n0\t:ok\t500\n");
    assert.deepEqual(
      history.operations.map((o) => [o.input, o.callTime, o.retTime, o.call, o.ret]),
      [
        [0, 0, 500e6, 0, 3],
        [1, 100e6, 400e6, 1, 2],
      ],
    );
  });

  it("attaches the message and stack trace after an :error to that request, and counts foreign lines", async () => {
    const history = await load(
      [
        "49465 [pool-11-thread-20] INFO org.apache.zookeeper.ClientCnxn - Socket connection established",
        "124 :error 10080",
        "Failed to send messages after 3 tries.",
        " at kafka.producer.Producer.send (Producer.scala:74)",
        "49548 [pool-13-thread-39] WARN org.apache.curator.ConnectionState - Connection attempt unsuccessful",
        "125 :ok 14668",
      ].join("\n"),
    );
    assert.equal(history.operations[0]!.error, "Failed to send messages after 3 tries.\n at kafka.producer.Producer.send (Producer.scala:74)");
    assert.equal(history.operations[1]!.error, undefined);
    assert.equal(history.annotations.ignoredLines, 2);
  });

  it("turns partition markers into nemesis operations", async () => {
    const history = await load("1 :ok 5\nInitiating partition.\n2 :ok 5\nPartitioned.\n3 :ok 5\nPartition healed.\nPartitioned.\n");
    assert.deepEqual(
      history.operations.filter((o) => o.process === "nemesis").map((o) => [o.f, o.outcome, o.invoke.timeSynthetic]),
      [
        ["start-partition", "info", true],
        ["stop-partition", "info", true],
        ["start-partition", "info", true],
      ],
    );
  });

  it("keeps the printed summary and makes the final read when the lists pin the survivors down", async () => {
    const history = await load(
      [
        "0\t:ok\t12",
        "1\t:ok\t12",
        "2\t:error\t1002",
        "3\t:ok\t12",
        "Writes completed in 0.4 seconds",
        "",
        "4 total",
        "3 acknowledged",
        "3 survivors",
        "1 acknowledged writes lost! (╯°□°）╯︵ ┻━┻",
        "1",
        "1 unacknowledged writes found! ヽ(´ー｀)ノ",
        "2",
        "0.75 ack rate",
        "0.33333334 loss rate",
        "0.33333334 unacknowledged but successful rate",
      ].join("\n"),
    );
    const summary = history.annotations[REPORTED_SET_SUMMARY] as ReportedSetSummary;
    assert.deepEqual(summary, {
      total: 4,
      acknowledged: 3,
      survivors: 3,
      lost: 1,
      lostElements: [1],
      lostElided: false,
      unacknowledgedFound: 1,
      unacknowledgedElements: [2],
      unacknowledgedElided: false,
      ackRate: 0.75,
      lossRate: 0.33333334,
      unacknowledgedSuccessRate: 0.33333334,
      lines: [7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
      readFromSummary: true,
    });
    const read = history.operations.find((o) => o.f === "read")!;
    assert.deepEqual([read.process, read.outcome, read.output], [4, "ok", [0, 2, 3]]);
    assert.equal(read.call, history.operations.length * 2 - 2);
  });

  it("makes no read when the list was elided or requests are missing", async () => {
    const history = await load("0\t:ok\t12\n\n2000 total\n1998 acknowledged\n872 survivors\n1126 acknowledged writes lost!\n50 51 52 53 54 55 ... 1671 1675 1676 1680 1681 1685\n");
    const summary = history.annotations[REPORTED_SET_SUMMARY] as ReportedSetSummary;
    assert.deepEqual([summary.total, summary.acknowledged, summary.survivors, summary.lost, summary.lostElided], [2000, 1998, 872, 1126, true]);
    assert.deepEqual(summary.lostElements, [50, 51, 52, 53, 54, 55, 1671, 1675, 1676, 1680, 1681, 1685]);
    assert.equal(history.operations.some((o) => o.f === "read"), false);
  });

  it("reads the happy endings", async () => {
    const all = await load("0 :ok 1\n1 :ok 1\nAll 2 writes succeeded. :-D\n");
    assert.deepEqual((all.annotations[REPORTED_SET_SUMMARY] as ReportedSetSummary).lost, 0);
    const acked = await load("0 :ok 1\n1 :error 1\nall 1 acked writes out of 2 succeeded. :-)\n");
    const summary = acked.annotations[REPORTED_SET_SUMMARY] as ReportedSetSummary;
    assert.deepEqual([summary.acknowledged, summary.total, summary.lost], [1, 2, 0]);
  });

  it("stops at a garbled request line with line:col, or skips it with --lenient", async () => {
    const text = "1 :ok 5\n2 :okay 5\n3 :ok 5\n";
    await assert.rejects(load(text), (e: unknown) => e instanceof InputError && /set\.log:2:3: expected a request line/.test(e.toString()));
    const lenient = await load(text, true);
    assert.deepEqual([lenient.skippedCount, lenient.operations.length], [1, 2]);
  });
});

describe("2013 set-app summary as the final read", () => {
  const log = (acknowledged: number, lostList: string): string =>
    ["0\t:ok\t12", "1\t:ok\t12", "2\t:error\t1002", "3\t:ok\t12", "", "4 total", `${acknowledged} acknowledged`, "3 survivors", "1 acknowledged writes lost! (╯°□°）╯︵ ┻━┻", lostList, "1 unacknowledged writes found! ヽ(´ー｀)ノ", "2", "0.75 ack rate", "0.33333334 loss rate"].join("\n");

  it("judges loss from the summary and says the read came from it", async () => {
    const r = await runCli(["analyze", writeTemp("summary.log", log(3, "1")), "--report", "none", "--json", "--checker", "set"]);
    const verdict = JSON.parse(r.stdout) as { valid: unknown; checkers: { summary: string }[] };
    assert.equal(verdict.valid, false);
    assert.match(verdict.checkers[0]!.summary, /1 of 3 acknowledged adds lost .*The final read is the log's printed summary: survivors = acknowledged − lost \+ found\./);
  });

  it("makes no read when the printed counts disagree with the log, or the lists are elided", async () => {
    for (const text of [log(2, "1"), log(3, "1 ... 1")]) {
      const history = await load(text);
      assert.equal(history.operations.find((o) => o.f === "read"), undefined, text);
    }
  });
});
