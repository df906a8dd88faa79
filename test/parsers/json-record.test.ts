import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { loadHistory } from "../../src/load.ts";
import { readJsonRecord } from "../../src/parsers/json-record.ts";
import { runCli, writeTemp } from "../support/helpers.ts";

/** What an exact reader should give for a parsed value: integer texts the parsed double is not exactly, as their digits. */
function bigIntegersAsText(v: unknown): unknown {
  if (typeof v === "number") return /^-?\d+$/.test(String(v)) && BigInt(String(v)) !== BigInt(v) ? String(v) : v;
  if (Array.isArray(v)) return v.map(bigIntegersAsText);
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: bigIntegersAsText(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

describe("readJsonRecord", () => {
  it("keeps integers a double cannot hold as their decimal text, anywhere in the record; others stay numbers", () => {
    assert.deepEqual(readJsonRecord('{"v":[9007199254740992,100000000000000000000,1152921504606846977]}'), { value: { v: [2 ** 53, 1e20, "1152921504606846977"] } });
    assert.deepEqual(readJsonRecord('{"type":"ok","f":"read","process":12345678901234567890,"value":[9007199254740993,{"x":-9007199254740993}]}'), {
      value: { type: "ok", f: "read", process: "12345678901234567890", value: ["9007199254740993", { x: "-9007199254740993" }] },
    });
  });

  it("reads every other record as JSON.parse does", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })), (record) => {
        const text = JSON.stringify(record);
        const read = readJsonRecord(text);
        assert.ok("value" in read, text);
        assert.deepEqual(read.value, bigIntegersAsText(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
  });

  it("refuses a field given twice in one object, at the second one, at any depth", () => {
    assert.deepEqual(readJsonRecord('{"type":"fail","f":"w","type":"ok"}'), { offset: 23, reason: 'field "type" given twice in one object; expected each field once' });
    const nested = readJsonRecord('{"type":"ok","value":[{"a":1, "a":2}]}');
    assert.ok("reason" in nested && nested.offset === 30, JSON.stringify(nested));
    assert.ok("value" in readJsonRecord('{"type":"ok","value":{"a":1},"b":{"a":2},"note":"a:b:c"}'));
  });

  it("keeps a __proto__ field as a plain field", () => {
    const read = readJsonRecord('{"__proto__":{"polluted":1},"a":{"b":1}}');
    assert.ok("value" in read);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(read.value as object), ["__proto__", "a"]);
  });
});

describe("exact JSON input end to end", () => {
  it("a write of 2^53+1 is not a read of 2^53, in NDJSON and in JSON arrays", async () => {
    const records = [
      '{"type":"invoke","f":"write","value":9007199254740993,"process":0}',
      '{"type":"ok","f":"write","value":9007199254740993,"process":0}',
      '{"type":"invoke","f":"read","value":null,"process":1}',
      '{"type":"ok","f":"read","value":9007199254740992,"process":1}',
    ];
    for (const file of [writeTemp("big.ndjson", records.join("\n") + "\n"), writeTemp("big.json", `[${records.join(",\n")}]`)]) {
      const h = await loadHistory(file);
      assert.equal(h.operations[0]!.input, "9007199254740993");
      assert.equal(h.operations[1]!.output, 9007199254740992);
      const r = await runCli(["analyze", file, "--report", "none", "--quiet", "--checker", "linearizable", "--model", "register"]);
      assert.equal(r.code, 1, `${file}: ${r.stdout}${r.stderr}`);
    }
  });

  it("a process beyond 2^53 is a client whose ops are judged, not a nemesis", async () => {
    const h = await loadHistory(writeTemp("p.ndjson", '{"type":"invoke","f":"read","process":12345678901234567890}\n{"type":"ok","f":"read","value":1,"process":12345678901234567890}\n'));
    assert.equal(h.operations[0]!.process, "12345678901234567890");
  });

  it("refuses a time beyond 2^53 ns with its place", async () => {
    await assert.rejects(loadHistory(writeTemp("t.ndjson", '{"type":"invoke","f":"read","process":0,"time":123456789012345678901}\n')), /t\.ndjson:1:1: field time 123456789012345678901 cannot be held exactly/);
  });

  it("refuses duplicate fields in NDJSON and JSON arrays with FILE:LINE:COL", async () => {
    await assert.rejects(loadHistory(writeTemp("d.ndjson", '{"type":"invoke","f":"w","process":0}\n{"type":"fail","f":"w","process":0,"type":"ok"}\n')), /d\.ndjson:2:36: field "type" given twice/);
    await assert.rejects(loadHistory(writeTemp("d.json", '[{"type":"invoke","f":"w","process":0},\n {"type":"fail",\n  "type":"ok","f":"w","process":0}]')), /d\.json:3:3: field "type" given twice/);
  });
});
