import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { analyzeFile } from "../../src/analyze.ts";
import { convertHistory } from "../../src/convert.ts";
import { REPORTED_SET_SUMMARY, type ReportedSetSummary } from "../../src/history/annotations.ts";
import { schemaError } from "../../src/history/schema.ts";
import { loadHistory } from "../../src/load.ts";
import { writeTemp } from "../support/helpers.ts";
import { CORPUS, corpusMissing } from "./corpus.ts";

const skip = corpusMissing() ?? false;

/** The format each corpus folder is written in (its README). */
const FORMAT_BY_FOLDER: [RegExp, string][] = [
  [/^knossos\//, "edn"],
  [/^elle\//, "edn"],
  [/^elle-cli\/.*\.edn$/, "edn"],
  [/^elle-cli\/.*\.json$/, "json-array"],
  [/^porcupine\/etcd\//, "jepsen-log"],
  [/^porcupine\/kv\//, "edn"],
  [/^legacy-2013\//, "set-app-2013"],
  [/^hermitage\/.*\.ndjson$/, "ndjson"],
];

/** Client requests the corpus README gives for the 2013 logs. */
const REQUESTS_2013: Record<string, number> = {
  "zookeeper-partition.log": 52,
  "zookeeper-client-noise.log": 25,
  "nuodb-timeouts.log": 49,
  "kafka-stacktrace.log": 36,
};

function historyFiles(): string[] {
  if (skip) return [];
  return readdirSync(CORPUS, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(edn|json|log|txt|ndjson)$/.test(e.name) && e.name !== "MANIFEST.json")
    .map((e) => relative(CORPUS, join(e.parentPath, e.name)))
    .sort();
}

describe("every corpus history", { skip }, () => {
  for (const name of historyFiles()) {
    it(`${name}: detected, converted, same verdict as its NDJSON`, async () => {
      const file = join(CORPUS, name);
      const expected = FORMAT_BY_FOLDER.find(([pattern]) => pattern.test(name))?.[1];
      const converted = writeTemp("converted.ndjson", "");
      const history = await convertHistory(file, {}, "ndjson", converted);
      assert.equal(history.format, expected);
      assert.ok(history.recordCount >= 2 && history.recordCount <= 3000, `${history.recordCount} records`);
      for (const line of readFileSync(converted, "utf8").trimEnd().split("\n")) assert.equal(schemaError(JSON.parse(line)), undefined);
      const requests = REQUESTS_2013[name.replace("legacy-2013/", "")];
      if (requests !== undefined) assert.equal(history.operations.filter((o) => o.f === "add").length, requests);
      const original = await analyzeFile(file, { checkers: ["auto"] });
      const roundTrip = await analyzeFile(converted, { checkers: ["auto"] });
      assert.equal(roundTrip.history.recordCount, original.history.recordCount);
      assert.deepEqual(
        roundTrip.verdict.checkers.map((c) => [c.checker, c.valid]),
        original.verdict.checkers.map((c) => [c.checker, c.valid]),
      );
      assert.equal(roundTrip.verdict.valid, original.verdict.valid);
    });
  }
});

describe("corpus specifics", { skip }, () => {
  const at = (name: string): string => join(CORPUS, name);

  it("Knossos: nemesis :info pairs keep the file's indices (cas-failure's culprit is index 491)", async () => {
    const history = await loadHistory(at("knossos/cas-register/bad/cas-failure.edn"));
    const culprit = history.operations.find((o) => o.completeIndex === 491)!;
    assert.deepEqual([culprit.process, culprit.f, culprit.output], [70, "read", 0]);
  });

  it("bad-analysis: the read of 2 by process 21 completes at index 14", async () => {
    const history = await loadHistory(at("knossos/cas-register/bad/bad-analysis.edn"));
    const read = history.operations.find((o) => o.completeIndex === 14)!;
    assert.deepEqual([read.process, read.f, read.output], [21, "read", 2]);
  });

  it("zookeeper-client-noise.log yields requests 300–324 and counts the foreign lines", async () => {
    const history = await loadHistory(at("legacy-2013/zookeeper-client-noise.log"));
    assert.deepEqual(
      history.operations.map((o) => o.input),
      Array.from({ length: 25 }, (_, i) => 300 + i),
    );
    assert.equal(history.annotations.ignoredLines, 15);
  });

  it("kafka-stacktrace.log attaches the trace to request 124", async () => {
    const history = await loadHistory(at("legacy-2013/kafka-stacktrace.log"));
    const request = history.operations.find((o) => o.input === 124)!;
    assert.equal(request.outcome, "info");
    assert.match(String(request.error), /^Failed to send messages after 3 tries\.\n/);
    assert.match(String(request.error), /java\.lang\.Thread\.run \(Thread\.java:722\)$/);
    assert.equal(history.operations.filter((o) => o.error !== undefined).length, 1);
  });

  it("ansi-colour.log reads the same as its plain transcription", async () => {
    const plain = writeTemp("plain.log", readFileSync(at("legacy-2013/ansi-colour.log"), "utf8").replace(/\x1b\[[0-9;]*m/g, ""));
    const coloured = await loadHistory(at("legacy-2013/ansi-colour.log"));
    const transcribed = await loadHistory(plain);
    const shape = (h: typeof coloured) => h.operations.map(({ invoke, ...o }) => ({ ...o, invoke: { ...invoke } }));
    assert.deepEqual(shape(coloured), shape(transcribed));
    assert.equal(coloured.operations.length, 8);
  });

  it("redis-summary.log yields the reported figures", async () => {
    const history = await loadHistory(at("legacy-2013/redis-summary.log"));
    const s = history.annotations[REPORTED_SET_SUMMARY] as ReportedSetSummary;
    assert.deepEqual(
      [s.total, s.acknowledged, s.survivors, s.lost, s.lostElided, s.ackRate, s.lossRate, s.unacknowledgedSuccessRate],
      [2000, 1998, 872, 1126, true, 0.999, 0.5635636, 0],
    );
  });

  it("elle-cli's EDN and JSON forms of a history read as the same operations", async () => {
    for (const stem of ["elle-cli/elle/paper-example", "elle-cli/elle/rw-register", "elle-cli/jepsen/counter", "elle-cli/jepsen/set_full", "elle-cli/jepsen/bank"]) {
      const edn = await loadHistory(at(`${stem}.edn`));
      const json = await loadHistory(at(`${stem}.json`));
      const shape = (h: typeof edn) => h.operations.map((o) => [o.process, o.f, o.outcome, o.call, o.ret, JSON.stringify(o.input), JSON.stringify(o.output)]);
      assert.deepEqual(shape(json), shape(edn), stem);
    }
  });

  it("a truncated copy of a corpus EDN file fails with line:col, and counts a skip when lenient", async () => {
    const text = readFileSync(at("knossos/cas-register/good/memstress3-0.edn"), "utf8");
    const truncated = writeTemp("truncated.edn", text.slice(0, Math.floor(text.length / 2)));
    await assert.rejects(loadHistory(truncated), /truncated\.edn:\d+:\d+: the file ended inside the form that opens here/);
    const lenient = await loadHistory(truncated, { lenient: true });
    assert.ok(lenient.skippedCount >= 1);
    writeFileSync(truncated, text.replace("{:process 8, :type :ok", "{:process 8, :type :ok]"));
    await assert.rejects(loadHistory(truncated), /truncated\.edn:\d+:\d+: expected '}' to close/);
  });
});
