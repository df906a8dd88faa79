import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { analyzeFile } from "../src/analyze.ts";
import { OperationSample } from "../src/history/sample.ts";
import type { Operation } from "../src/history/op.ts";
import { pastDeadline } from "./support/deadline.ts";
import { ndjson, writeTemp } from "./support/helpers.ts";

/** A random well-formed history: processes invoke and complete in a random interleaving, with a nemesis. */
const historyArbitrary = fc
  .array(fc.record({ process: fc.integer({ min: 0, max: 3 }), f: fc.constantFrom("read", "write", "start", "stop"), outcome: fc.constantFrom("ok", "ok", "fail", "info"), gap: fc.integer({ min: 0, max: 5_000_000 }) }), { minLength: 1, maxLength: 60 })
  .map((steps) => {
    const records: object[] = [];
    const open = new Map<number | string, string>();
    const next = new Map<number, number>();
    let time = 0;
    for (const s of steps) {
      time += s.gap;
      const nemesis = s.f === "start" || s.f === "stop";
      const process: number | string = nemesis ? "nemesis" : (next.get(s.process) ?? s.process);
      const f = open.get(process);
      if (f === undefined) {
        records.push({ type: "invoke", f: s.f, process, value: 1, time });
        open.set(process, s.f);
      } else {
        records.push({ type: nemesis ? "info" : s.outcome, f, process, value: 1, time });
        open.delete(process);
        if (!nemesis && s.outcome === "info") next.set(s.process, (next.get(s.process) ?? s.process) + 4);
      }
    }
    return records;
  });

describe("streaming analysis", () => {
  it("falls back to holding the history when a chosen checker cannot fold", async () => {
    // lww does not fold (txn and linearizable do).
    const write = { row: 1, cells: { a: 1 }, ts: 1000 };
    const file = writeTemp("w.ndjson", ndjson([{ type: "invoke", f: "write", process: 0, value: write }, { type: "ok", f: "write", process: 0, value: write }]));
    const { history, verdict } = await analyzeFile(file, { checkers: ["auto"], streamThresholdBytes: 0 });
    assert.equal(history.sampledFrom, undefined);
    assert.ok(verdict.picked.some((p) => p.checker === "lww"));
  });

  it("streams set-full like set: the same verdict as holding the history", async () => {
    const op = (process: number, f: string, value: unknown, output: unknown = value): object[] => [
      { type: "invoke", f, process, value: f === "read" ? null : value },
      { type: "ok", f, process, value: output },
    ];
    const file = writeTemp("set-full.ndjson", ndjson([...op(0, "add", 1), ...op(1, "read", null, [1]), ...op(0, "add", 2), ...op(1, "read", null, [1]), ...op(1, "read", null, [1, 2])]));
    const held = await analyzeFile(file, { checkers: ["auto"] });
    const streamed = await analyzeFile(file, { checkers: ["auto"], streamThresholdBytes: 0 });
    assert.deepEqual(held.verdict.picked.map((p) => p.checker), ["stats", "set-full"]);
    assert.equal(streamed.history.sampledFrom, held.history.operations.length);
    assert.deepEqual(streamed.verdict, held.verdict);
  });

  it("gives exactly the verdict of the in-memory analysis", async () => {
    await fc.assert(
      fc.asyncProperty(historyArbitrary, async (records) => {
        const file = writeTemp("h.ndjson", ndjson(records));
        const held = await analyzeFile(file, { checkers: ["stats"] });
        const streamed = await analyzeFile(file, { checkers: ["stats"], streamThresholdBytes: 0 });
        assert.equal(streamed.history.sampledFrom, held.history.operations.length);
        assert.deepEqual(streamed.verdict, held.verdict);
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});

describe("operation sample", () => {
  it("keeps an evenly strided, bounded, deterministic subset in invocation order", () => {
    const sample = new OperationSample(100);
    for (let id = 999; id >= 0; id--) sample.add({ id } as Operation);
    const kept = sample.operations().map((o) => o.id);
    assert.equal(sample.seen, 1000);
    assert.ok(kept.length <= 100 && kept.length >= 50, `${kept.length} kept`);
    assert.deepEqual(kept, [...kept].sort((a, b) => a - b));
    const stride = kept[1]! - kept[0]!;
    assert.ok(kept.every((id) => id % stride === 0));
  });
});

describe("analysis under --time-limit", () => {
  const records = Array.from({ length: 2500 }, (_, i) => [
    { type: "invoke", f: "write", process: i % 4, value: i },
    { type: "ok", f: "write", process: i % 4, value: i },
  ]).flat();

  for (const streamThresholdBytes of [0, Infinity]) {
    it(`a history read only in part is unknown for every checker, never valid (${streamThresholdBytes === 0 ? "streamed" : "loaded"})`, async () => {
      const file = writeTemp("cut.ndjson", ndjson(records));
      const { verdict } = await analyzeFile(file, { checkers: ["stats"], streamThresholdBytes, timeLimitMs: 200, deadline: pastDeadline() });
      const reason = "the --time-limit of 0.2 s was reached while reading, after 4096 records";
      assert.equal(verdict.valid, "unknown");
      assert.equal(verdict.summary, `unknown: stats: ${reason}`);
      assert.deepEqual(verdict.checkers.map((c) => [c.checker, c.valid, c.summary]), [["stats", "unknown", reason]]);
    });
  }
});
