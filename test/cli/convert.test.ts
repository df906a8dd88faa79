import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { schemaError } from "../../src/history/schema.ts";
import { loadHistory } from "../../src/load.ts";
import { runCli, tempDir, writeTemp } from "../support/helpers.ts";

const EDN = `; a Knossos-style history
[{:process 0, :type :invoke, :f :write, :value 9007199254740993}
 {:process :nemesis, :type :info, :f :start, :value nil}
 {:process 0, :type :ok, :f :write, :value 9007199254740993}]
`;

describe("hindsight convert", () => {
  it("writes canonical NDJSON on stdout that passes the schema and reads back the same", async () => {
    const file = writeTemp("h.edn", EDN);
    const r = await runCli(["convert", file, "--to", "ndjson"]);
    assert.equal(r.code, 0);
    const lines = r.stdout.trimEnd().split("\n");
    assert.deepEqual(lines, [
      '{"index":0,"type":"invoke","f":"write","process":0,"value":"9007199254740993"}',
      '{"index":1,"type":"invoke","f":"start","process":"nemesis","value":null,"sourceType":"info"}',
      '{"index":2,"type":"ok","f":"write","process":0,"value":"9007199254740993"}',
    ]);
    for (const line of lines) assert.equal(schemaError(JSON.parse(line)), undefined);
    assert.equal(r.stderr, `${file}: 3 records as edn\n`);
    const back = await loadHistory(writeTemp("h.ndjson", r.stdout));
    const original = await loadHistory(file);
    assert.deepEqual(back.operations, original.operations);
  });

  it("writes to -o only when the whole input was read", async () => {
    const out = join(tempDir(), "out.ndjson");
    const good = await runCli(["convert", writeTemp("h.edn", EDN), "--to", "ndjson", "-o", out]);
    assert.equal(good.code, 0);
    assert.equal(readFileSync(out, "utf8").split("\n").length, 4);
    const missing = join(tempDir(), "never.ndjson");
    const bad = await runCli(["convert", writeTemp("t.edn", EDN.slice(0, 100)), "--to", "ndjson", "-o", missing]);
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /t\.edn:3:2: the file ended inside the form that opens here; expected a closing '}'/);
    assert.equal(existsSync(missing), false);
  });

  it("exits 3 listing each format tried and why it was ruled out", async () => {
    const r = await runCli(["convert", writeTemp("notes.txt", "just some notes\n"), "--to", "ndjson"]);
    assert.equal(r.code, 3);
    for (const format of ["ndjson", "json-array", "edn", "jepsen-log", "set-app-2013"]) assert.match(r.stderr, new RegExp(`${format}: `));
  });
});
