import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/history/errors.ts";
import { loadHistory } from "../../src/load.ts";
import { JsonArrayReader, jsonArrayParser } from "../../src/parsers/json-array.ts";
import { writeTemp } from "../support/helpers.ts";
import { recordingSink } from "../support/parsers-sink.ts";

function elements(...chunks: string[]) {
  const sink = recordingSink();
  const seen: [unknown, number, number][] = [];
  const reader = new JsonArrayReader(sink, (element, line, column) => void seen.push([element, line, column]));
  for (const chunk of chunks) reader.feed(chunk);
  reader.end();
  return { seen, bads: sink.bads };
}

describe("JSON array histories (elle-cli)", () => {
  const text = '[{"type":"invoke","f":"txn","value":[["append",255,8],["r",253,null]],"process":1},\n {"type":"ok","f":"txn","value":[["append",255,8],["r",253,[1,"]}"]]],"process":1}]\n';

  it("splits the array into elements with their line and column", () => {
    const { seen, bads } = elements(text);
    assert.deepEqual(bads, []);
    assert.deepEqual(
      seen.map(([, line, column]) => [line, column]),
      [
        [1, 2],
        [2, 2],
      ],
    );
    assert.deepEqual((seen[1]![0] as { value: unknown }).value, [
      ["append", 255, 8],
      ["r", 253, [1, "]}"]],
    ]);
  });

  it("gives the same elements however the text is split into chunks", () => {
    const whole = elements(text);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 8 }), (cuts) => {
        const sorted = [0, ...cuts.sort((a, b) => a - b), text.length];
        assert.deepEqual(elements(...sorted.slice(1).map((end, i) => text.slice(sorted[i], end))), whole);
      }),
    );
  });

  it("reports a bad element, a missing comma, trailing junk and truncation with line:col", () => {
    assert.deepEqual(elements('[{"type":"ok",}]').bads, [{ line: 1, column: 15, reason: `invalid JSON: expected a "quoted" field name` }]);
    assert.deepEqual(elements('[{"a":1} {"b":2}]').bads, [{ line: 1, column: 10, reason: "expected ',' or ']' after the element" }]);
    assert.deepEqual(elements('[{"a":1}]\nx').bads, [{ line: 2, column: 1, reason: "expected the end of the file after the array's closing ']'" }]);
    assert.deepEqual(elements('[{"a":1},\n{"b":').bads, [{ line: 2, column: 1, reason: "the file ended inside this element" }]);
  });

  it("loads through auto-detection into canonical ops", async () => {
    const file = writeTemp("h.json", text);
    const history = await loadHistory(file);
    assert.equal(history.format, "json-array");
    assert.deepEqual(
      history.operations.map((o) => [o.process, o.f, o.outcome]),
      [[1, "txn", "ok"]],
    );
    await assert.rejects(loadHistory(writeTemp("bad.json", '[{"type":"ok",}]')), (e: unknown) => e instanceof InputError && /:1:15: invalid JSON/.test(e.toString()));
  });

  it("skips a bad element and reads on with --lenient", async () => {
    const file = writeTemp("l.json", '[{"type":"invoke","f":"read","process":0},\n{"type":"ok",,"f":"read"},\n{"type":"ok","f":"read","process":0,"value":2}]');
    const history = await loadHistory(file, { lenient: true });
    assert.deepEqual([history.skippedCount, history.skipped[0]!.line, history.operations[0]!.output], [1, 2, 2]);
  });

  it("sniffs arrays of objects only", () => {
    assert.equal(jsonArrayParser.sniff(' [\n{"type":"invoke"'), true);
    assert.notEqual(jsonArrayParser.sniff("[{:type :invoke}]"), true);
    assert.notEqual(jsonArrayParser.sniff('{"type":"invoke"}'), true);
  });
});
