import assert from "node:assert/strict";
import { appendFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { FilePasses, loadHistory } from "../src/load.ts";
import { manualDeadline, pastDeadline } from "./support/deadline.ts";
import { ndjson, writeTemp } from "./support/helpers.ts";

const records = (value: number): string =>
  ndjson([
    { type: "invoke", f: "write", value, process: 0 },
    { type: "ok", f: "write", value, process: 0 },
  ]);

describe("reading a file twice", () => {
  it("accepts a second read of the same bytes", async () => {
    const file = writeTemp("same.ndjson", records(1));
    const passes = new FilePasses();
    await loadHistory(file, { passes });
    await loadHistory(file, { passes });
  });

  it("refuses a file whose bytes changed between reads, even with the same size and time", async () => {
    const file = writeTemp("changed.ndjson", records(1));
    const { atime, mtime } = statSync(file);
    const passes = new FilePasses();
    await loadHistory(file, { passes });
    writeFileSync(file, records(2));
    utimesSync(file, atime, mtime);
    await assert.rejects(loadHistory(file, { passes }), /changed\.ndjson: the file changed between its two reads/);
  });

  it("refuses a file that grows while it is read", async () => {
    const file = writeTemp("growing.ndjson", records(1));
    let grown = false;
    const onRecord = (): void => {
      if (!grown) appendFileSync(file, records(3));
      grown = true;
    };
    await assert.rejects(loadHistory(file, { passes: new FilePasses(), onRecord }), /growing\.ndjson: the file changed while it was read/);
  });
});

describe("reading under --time-limit", () => {
  const long = (): string => writeTemp("long.ndjson", Array.from({ length: 2500 }, (_, i) => records(i)).join(""));

  it("stops at the deadline, read every 4096 records, and says so in the history", async () => {
    const history = await loadHistory(long(), { deadline: pastDeadline() });
    assert.equal(history.readCutShort, "the --time-limit of 0.2 s was reached while reading, after 4096 records");
    assert.equal(history.recordCount, 4096);
    assert.equal(history.operations.length, 2048);
  });

  it("reads everything while the deadline is ahead", async () => {
    const history = await loadHistory(long(), { deadline: manualDeadline().deadline });
    assert.equal(history.readCutShort, undefined);
    assert.equal(history.recordCount, 5000);
  });
});
