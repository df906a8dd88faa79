import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadHistory } from "../../src/load.ts";
import { Recorder } from "../../src/recorder/recorder.ts";
import { MemorySink, type ChunkSink } from "../../src/recorder/sink.ts";
import { tempDir } from "../support/helpers.ts";

const lines = (sink: MemorySink): Record<string, unknown>[] => sink.text().trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

describe("Recorder", () => {
  it("writes canonical NDJSON lines with fields in a fixed order", async () => {
    const sink = new MemorySink();
    const recorder = new Recorder(sink, 2);
    assert.equal(recorder.invoke(0, "write", 3, 1000, { node: "n1" }), 0);
    assert.equal(recorder.complete(0, "ok", 3, 2500), 1);
    recorder.invoke("nemesis", "start-partition", "majority-minority", 3000);
    recorder.complete("nemesis", "info", 'cut "n1" / n2', 3000);
    await recorder.end();
    assert.equal(
      sink.text(),
      [
        '{"type":"invoke","f":"write","value":3,"process":0,"time":1000,"node":"n1"}',
        '{"type":"ok","f":"write","value":3,"process":0,"time":2500}',
        '{"type":"invoke","f":"start-partition","value":"majority-minority","process":"nemesis","time":3000}',
        '{"type":"info","f":"start-partition","value":"cut \\"n1\\" / n2","process":"nemesis","time":3000}',
        "",
      ].join("\n"),
    );
  });

  it("gives a client a new process id after an info, and keeps times monotonic", async () => {
    const sink = new MemorySink();
    const recorder = new Recorder(sink, 3);
    recorder.invoke(1, "read", null, 50);
    recorder.complete(1, "info", null, 40);
    assert.equal(recorder.processFor(1), 4);
    recorder.invoke(1, "read", null, 60);
    recorder.complete(1, "info", null, 70);
    recorder.invoke(1, "cas", [1, 2], 80);
    recorder.complete(1, "fail", [1, 2], 90, { error: "precondition" });
    await recorder.end();
    const ops = lines(sink);
    assert.deepEqual(ops.map((o) => o.process), [1, 1, 4, 4, 7, 7]);
    assert.deepEqual(ops.map((o) => o.time), [50, 50, 60, 70, 80, 90]);
    assert.equal(ops[5]!.error, "precondition");
  });

  it("refuses a second invocation while one is open, and a completion with none open", () => {
    const recorder = new Recorder(new MemorySink(), 1);
    recorder.invoke(0, "read", null, 1);
    assert.throws(() => recorder.invoke(0, "read", null, 2), /still open/);
    recorder.complete(0, "ok", 1, 3);
    assert.throws(() => recorder.complete(0, "ok", 1, 4), /no open operation/);
  });

  it("takes times from its clock when none are given", async () => {
    const sink = new MemorySink();
    let t = 10;
    const recorder = new Recorder(sink, 1, () => (t += 5));
    recorder.invoke(0, "read", null);
    recorder.complete(0, "ok", 7);
    await recorder.end();
    assert.deepEqual(lines(sink).map((o) => o.time), [15, 20]);
  });

  it("waits for a slow sink before buffering more", async () => {
    const written: string[] = [];
    let pending = 0;
    const sink: ChunkSink = {
      write(chunk) {
        written.push(chunk);
        pending++;
        return new Promise<void>((resolve) => setImmediate(() => (pending--, resolve())));
      },
      end() {},
    };
    const recorder = new Recorder(sink, 1);
    for (let i = 0; i < 20_000; i++) {
      recorder.invoke(0, "write", i, i * 2);
      recorder.complete(0, "ok", i, i * 2 + 1);
      if (recorder.full) {
        await recorder.flush();
        assert.equal(pending, 0);
      }
    }
    await recorder.end();
    assert.ok(written.length > 1, "flushed in several chunks");
    assert.equal(written.join("").split("\n").length - 1, 40_000);
  });

  it("produces histories Hindsight loads without warnings", async () => {
    const sink = new MemorySink();
    const recorder = new Recorder(sink, 2);
    recorder.invoke(0, "write", 1, 1);
    recorder.invoke(1, "read", null, 2);
    recorder.complete(1, "info", null, 3);
    recorder.invoke(1, "read", null, 4);
    recorder.complete(0, "ok", 1, 5);
    recorder.complete(1, "ok", 1, 6);
    await recorder.end();
    const file = join(tempDir(), "h.ndjson");
    await writeFile(file, sink.text());
    const history = await loadHistory(file);
    assert.equal(history.operations.length, 3);
    assert.deepEqual(history.warnings, []);
    assert.deepEqual(history.operations.map((o) => [o.process, o.outcome]), [[0, "ok"], [1, "info"], [3, "ok"]]);
  });
});
