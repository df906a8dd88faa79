import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Recorder } from "../../src/recorder/recorder.ts";
import { syncFileSink } from "../../src/recorder/sink.ts";
import { tempDir } from "../support/helpers.ts";

describe("syncFileSink", () => {
  it("puts each flushed record in the file before the next op starts, so a crash loses at most the op in flight", async () => {
    const path = join(tempDir(), "h.ndjson");
    const recorder = new Recorder(syncFileSink(path), 1, () => 5);
    recorder.invoke(0, "write", 1);
    await recorder.flush();
    assert.equal(readFileSync(path, "utf8"), '{"type":"invoke","f":"write","value":1,"process":0,"time":5}\n');
    recorder.complete(0, "info", 1, undefined, { node: "n1" });
    await recorder.flush();
    recorder.invoke(0, "read", null);
    await recorder.flush();
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    assert.equal(lines.length, 3, "no end() yet, and everything flushed is on disk");
    assert.deepEqual(JSON.parse(lines[2]!), { type: "invoke", f: "read", value: null, process: 1, time: 5 });
    await recorder.end();
  });
});
