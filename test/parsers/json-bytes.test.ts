import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { readPlainRecord } from "../../src/parsers/json-bytes.ts";
import { readJsonRecord } from "../../src/parsers/json-record.ts";

const plain = (text: string): Record<string, unknown> | undefined => readPlainRecord(Buffer.from(text), 0, Buffer.byteLength(text));

/** Whatever the fast reader accepts, the careful reader reads the same: values, field order, -0. */
function sameAsCareful(text: string): boolean {
  const fast = plain(text);
  if (fast === undefined) return false;
  const careful = readJsonRecord(text);
  assert.ok("value" in careful, `accepted what the careful reader refuses: ${text}`);
  assert.deepStrictEqual(fast, careful.value, text);
  assert.deepStrictEqual(Object.keys(fast), Object.keys(careful.value as object), text);
  return true;
}

describe("readPlainRecord", () => {
  it("reads the common record, fields in the order written", () => {
    const read = plain('{"type":"invoke","f":"cas","value":[1,-2,[null,true,false]],"process":3,"time":1.5e3,"node":"n1","index":0}');
    assert.deepStrictEqual(read, { type: "invoke", f: "cas", value: [1, -2, [null, true, false]], process: 3, time: 1500, node: "n1", index: 0 });
    assert.deepStrictEqual(Object.keys(read!), ["type", "f", "value", "process", "time", "node", "index"]);
    assert.deepStrictEqual(plain('{ "type" : "ok" ,\t"process": 2 , "value" :[ ] }  '), { type: "ok", process: 2, value: [] });
    assert.deepStrictEqual(plain("{}"), {});
    assert.ok(Object.is(plain('{"v":-0}')!.v, -0));
    assert.equal(plain('{"v":999999999999999}')!.v, 999_999_999_999_999);
    assert.equal(plain('{"v":-0.25E-2}')!.v, -0.0025);
  });

  it("expects the previous record's field names, and reads others as well", () => {
    for (const name of ["type", "typo", "types", "typ", "type", "t\\ype", "type"]) {
      const text = `{"${name}":1,"f":2}`;
      assert.deepStrictEqual(plain(text), name.includes("\\") ? undefined : { [name]: 1, f: 2 }, text);
    }
  });

  it("leaves to the careful reader what it cannot read exactly, or what is not JSON", () => {
    const careful = [
      '{"a":1,"a":2}', // a repeated field: the careful reader names it
      '{"a":9007199254740993}', // 16 digits or more: maybe beyond 2^53
      '{"a":1000000000000000}',
      '{"a":"\\n"}', // escapes
      '{"a":"é"}', // non-ASCII
      '{"__proto__":1}',
      '{"a":{"b":1}}', // nested objects (repeated fields inside)
      `{"a":${"[".repeat(40)}${"]".repeat(40)}}`,
      ...['{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":1e}', '{"a":1e+}', '{"a":-}', '{"a":+1}', '{"a":1,}', '{"a":1', '{"a":1}x', '{"a":tru}', '{"a":nul}', '{"a" 1}', '{a:1}', '{"a":[1,]}', '{"a":[1 2]}', '{,}'],
      ' {"a":1}', // the careful reader says where the record starts
      "[1]",
      "",
      "   ",
    ];
    for (const text of careful) assert.equal(plain(text), undefined, text);
  });

  it("reads only its own line's bytes", () => {
    const bytes = Buffer.from('{"a":1}\n{"b":"x"}\n{"c":null}\n{"d":12}');
    assert.deepStrictEqual(readPlainRecord(bytes, 8, 17), { b: "x" });
    assert.equal(readPlainRecord(bytes, 8, 15), undefined, "a string cut at the end");
    assert.equal(readPlainRecord(bytes, 18, 25), undefined, "a word cut at the end");
    assert.equal(readPlainRecord(bytes, 29, 35), undefined, "a number cut at the end");
    assert.equal(readPlainRecord(bytes, 0, 6), undefined, "an object cut at the end");
  });

  it("gives what readJsonRecord gives whenever it reads a record", () => {
    let accepted = 0;
    const value = fc.jsonValue({ maxDepth: 3 });
    const record = fc.oneof(
      fc.dictionary(fc.string(), value),
      fc.record({ type: fc.constantFrom("invoke", "ok", "fail", "info"), f: fc.string(), value, process: fc.oneof(fc.nat(), fc.string()), time: fc.oneof(fc.nat(), fc.double()) }, { requiredKeys: ["type"] }),
    );
    const spaced = (text: string, gaps: number[]): string => text.replace(/[,:[\]{}]/g, (c, at: number) => (gaps[at % gaps.length]! > 0 ? `${c}${" \t".slice(0, gaps[at % gaps.length]!)}` : c));
    fc.assert(
      fc.property(record, fc.array(fc.nat(2), { minLength: 1 }), (r, gaps) => {
        if (sameAsCareful(JSON.stringify(r))) accepted++;
        sameAsCareful(spaced(JSON.stringify(r), gaps));
      }),
      { numRuns: 1000 },
    );
    assert.ok(accepted > 300, `only ${accepted} of 1000 plain records read by the fast path`);
  });

  it("never accepts a broken record the careful reader refuses", () => {
    const base = '{"type":"ok","f":"cas","value":[1,[2,null]],"process":10,"time":1.5e-3,"node":"n2"}';
    fc.assert(
      fc.property(fc.nat(base.length), fc.nat(3), fc.constantFrom(..."{}[],:\"\\ 0-1e.+tnf\t\r"), (at, cut, c) => {
        sameAsCareful(base.slice(0, at) + c + base.slice(at + cut));
        sameAsCareful(base.slice(0, at) + base.slice(at + cut + 1));
      }),
      { numRuns: 2000 },
    );
  });
});
