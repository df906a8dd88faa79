import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/history/errors.ts";
import { loadHistory } from "../../src/load.ts";
import { locateJsonError } from "../../src/parsers/json-position.ts";
import { ndjsonParser } from "../../src/parsers/ndjson.ts";
import { writeTemp } from "../support/helpers.ts";

const invoke = '{"type":"invoke","f":"read","process":0}';
const ok = '{"type":"ok","f":"read","value":3,"process":0}';

describe("NDJSON reader", () => {
  it("accepts a BOM, CRLF, blank lines and no final newline", async () => {
    const file = writeTemp("h.ndjson", `\uFEFF${invoke}\r\n\r\n${ok}`);
    const h = await loadHistory(file);
    assert.equal(h.recordCount, 2);
    assert.equal(h.operations[0]!.output, 3);
  });

  it("keeps unknown fields on the invocation", async () => {
    const file = writeTemp("h.ndjson", `{"type":"invoke","f":"read","process":0,"node":"n3","weird":{"a":1}}\n${ok}\n`);
    const h = await loadHistory(file);
    assert.equal(h.operations[0]!.invoke.node, "n3");
    assert.deepEqual(h.operations[0]!.invoke.weird, { a: 1 });
  });

  it("reports a malformed line as FILE:LINE:COL with what was expected", async () => {
    const file = writeTemp("bad.ndjson", `${invoke}\n${ok}\n{"type":"invoke","f":}\n`);
    await assert.rejects(loadHistory(file), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.toString(), `${file}:3:22: invalid JSON: expected a JSON value (object, array, string, number, true, false or null)`);
      return true;
    });
  });

  it("names a missing field and an unknown type", async () => {
    await assert.rejects(loadHistory(writeTemp("a.ndjson", '{"type":"invoke","process":0}\n')), /:1:1: missing field "f"/);
    await assert.rejects(loadHistory(writeTemp("b.ndjson", '{"type":"done","f":"read","process":0}\n')), /:1:1: field type must be one of "invoke", "ok", "fail", "info"/);
  });

  it("in lenient mode skips bad lines and counts them", async () => {
    const file = writeTemp("bad.ndjson", `${invoke}\nnot json\n${ok}\n{"type":"ok","f":"read","process":9}\n`);
    const h = await loadHistory(file, { lenient: true });
    assert.equal(h.recordCount, 2);
    assert.equal(h.skippedCount, 2);
    assert.deepEqual(
      h.skipped.map((s) => s.line),
      [2, 4],
    );
  });

  it("refuses values nested too deep to process, naming the column", async () => {
    const deep = `{"type":"invoke","f":"read","process":0,"value":${"[".repeat(600)}${"]".repeat(600)}}`;
    await assert.rejects(loadHistory(writeTemp("deep.ndjson", `${deep}\n`)), /deep\.ndjson:1:560: value nested deeper than 512 levels/);
    await assert.rejects(loadHistory(writeTemp("open.ndjson", `${invoke}\n${"[".repeat(100_000)}\n`), { format: "ndjson" }), /open\.ndjson:2:513: value nested deeper than 512 levels/);
  });

  it("rejects an empty file", async () => {
    await assert.rejects(loadHistory(writeTemp("e.ndjson", "\n\n")), /the file is empty/);
  });

  it("sniffs NDJSON from the first object", () => {
    assert.equal(ndjsonParser.sniff(`\n${invoke}\n`), true);
    assert.match(String(ndjsonParser.sniff("[1, 2]")), /not a JSON object/);
  });
});

describe("locating JSON errors", () => {
  it("points at the offending character", () => {
    assert.deepEqual(locateJsonError('{"a":1,}'), { offset: 7, expected: 'a "quoted" field name' });
    assert.deepEqual(locateJsonError('{"a":1'), { offset: 6, expected: "',' or '}'" });
    assert.deepEqual(locateJsonError('{"a":1} x'), { offset: 8, expected: "the end of the line after one JSON value" });
  });
});
