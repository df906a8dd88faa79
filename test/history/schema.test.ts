import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import AjvModule from "ajv";
import fc from "fast-check";
import { HISTORY_SCHEMA_PATH, schemaError } from "../../src/history/schema.ts";

// ajv ships CommonJS; under NodeNext its default export is the module namespace.
const Ajv = AjvModule.default ?? AjvModule;
const validate = new Ajv({ allErrors: false, strict: true }).compile(JSON.parse(readFileSync(HISTORY_SCHEMA_PATH, "utf8")) as object);

/** The field ajv's first error is about ("" for the record itself or a missing field). */
function ajvField(record: unknown): string | undefined {
  if (validate(record)) return undefined;
  const error = validate.errors![0]!;
  return error.keyword === "required" ? "" : error.instancePath.slice(1);
}

function ourField(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  return /^field (\w+)/.exec(message)?.[1] ?? "";
}

const anyValue = fc.oneof(
  fc.constantFrom("invoke", "ok", "fail", "info", "nemesis", "", "read"),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(1.5, -0.5, Infinity, -Infinity, NaN, 2 ** 60, null, true, [], {}, "12345678901234567890"),
);
const record = fc.dictionary(fc.constantFrom("type", "f", "process", "index", "time", "node", "value", "error", "extra"), anyValue, { maxKeys: 9 });

describe("schemaError", () => {
  it("accepts exactly what schema/history.schema.json accepts, and names the field ajv names first", () => {
    fc.assert(
      fc.property(fc.oneof(record, anyValue), (r) => {
        assert.equal(ourField(schemaError(r)), ajvField(r), `${JSON.stringify(r)}: ${schemaError(r)}`);
      }),
      { numRuns: 5000 },
    );
  });

  it("says why a time beyond 2^53 (kept as its decimal text) is refused", () => {
    assert.match(schemaError({ type: "ok", f: "read", process: 0, time: "12345678901234567890" })!, /time 12345678901234567890 cannot be held exactly \(integers beyond 2\^53 ns/);
  });

  it("explains what a process may be", () => {
    assert.match(schemaError({ type: "ok", f: "read", process: "" })!, /process must be an integer \(client\) or a non-empty string/);
  });
});
