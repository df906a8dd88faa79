import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/history/errors.ts";
import { loadHistory } from "../../src/load.ts";
import { ednParser, readEdnRecords } from "../../src/parsers/edn.ts";
import { readEdnValue } from "../../src/parsers/edn-reader.ts";
import { writeTemp } from "../support/helpers.ts";
import { recordingSink } from "../support/parsers-sink.ts";

async function* chunksOf(...parts: string[]): AsyncGenerator<string> {
  yield* parts;
}

async function records(...parts: string[]) {
  const sink = recordingSink();
  const seen: { record: unknown; line: number; column: number }[] = [];
  await readEdnRecords(chunksOf(...parts), sink, (record, line, column) => void seen.push({ record, line, column }));
  return { seen, bads: sink.bads };
}

describe("EDN values", () => {
  it("maps keywords to strings, nil to null, sets and lists to arrays", () => {
    assert.deepEqual(readEdnValue('{:type :ok, :process :nemesis, :value #{1 2} :l (3 :x) :n nil :b true}'), {
      type: "ok",
      process: "nemesis",
      value: [1, 2],
      l: [3, "x"],
      n: null,
      b: true,
    });
  });

  it("writes integer map keys in decimal, like elle-cli's JSON", () => {
    assert.deepEqual(readEdnValue("{0 100, 1 0, :a/b 2}"), { "0": 100, "1": 0, "a/b": 2 });
  });

  it("keeps integers beyond 2^53 as exact decimal strings", () => {
    assert.deepEqual(readEdnValue("[9007199254740993 -9007199254740993N 12N 1.5 2e3 1/3]"), ["9007199254740993", "-9007199254740993", 12, 1.5, 2000, "1/3"]);
  });

  it("reads strings with escapes and characters", () => {
    assert.deepEqual(readEdnValue('["a\\"b\\\\c\\n\\u00e9" \\x \\newline]'), ['a"b\\c\né', "x", "\n"]);
  });

  it("reads tagged values as the value after the tag and drops #_ forms", () => {
    assert.deepEqual(readEdnValue('#jepsen.history.Op{:type :ok, :f :read #_ :dropped :value #inst "2020-01-01"}'), { type: "ok", f: "read", value: "2020-01-01" });
  });

  it("keeps a __proto__ key as a plain field", () => {
    const value = readEdnValue('{"__proto__" 1}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ["__proto__"]);
  });

  it("reads back any JSON-shaped value printed as EDN, however it is spaced", () => {
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.boolean(),
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0) && (!Number.isInteger(d) || Number.isSafeInteger(d))),
        fc.string({ unit: "grapheme" }),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie("value"), { maxKeys: 4, noNullPrototype: true }),
      ),
    }));
    const printed = (v: unknown, space: string, list: boolean): string => {
      if (v === null) return "nil";
      if (typeof v === "string" || typeof v === "number") return JSON.stringify(v);
      if (typeof v === "boolean") return String(v);
      if (Array.isArray(v)) return `${list ? "(" : "["}${space}${v.map((x) => printed(x, space, !list)).join(space)}${space}${list ? ")" : "]"}`;
      return `{${Object.entries(v as object).map(([k, x]) => `${JSON.stringify(k)} ${printed(x, space, list)}`).join(`,${space}`)}}`;
    };
    fc.assert(
      fc.property(value, fc.constantFrom(" ", ",\n ", "\t;c\n"), fc.boolean(), (v, space, list) => {
        assert.deepEqual(readEdnValue(printed(v, space, list)), v);
      }),
    );
  });

  it("rejects what is not EDN, with the offset", () => {
    assert.throws(() => readEdnValue("{:a 1]"), (e: Error & { offset?: number }) => e.offset === 5 && /expected '}'/.test(e.message));
    assert.throws(() => readEdnValue("[12x]"), /"12x" is not a number/);
    assert.throws(() => readEdnValue('"\\q"'), /unknown escape/);
  });
});

describe("EDN records", () => {
  const bare = "{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :read, :value 1, :process 0}\n";

  it("reads a bare sequence, a top-level vector and a top-level list alike", async () => {
    for (const text of [bare, `[${bare}]`, `(${bare})`, `; comment\n[${bare.replace("\n", ",\n")}] ; done\n`]) {
      const { seen, bads } = await records(text);
      assert.deepEqual(bads, []);
      assert.deepEqual(
        seen.map((s) => s.record),
        [
          { type: "invoke", f: "read", process: 0 },
          { type: "ok", f: "read", value: 1, process: 0 },
        ],
      );
    }
  });

  it("gives each record the line and column where it starts, over multi-line maps", async () => {
    const { seen } = await records("; header\n[{:type :invoke,\n  :f :read,\n  :process 0}\n {:type :ok :f :read :process 0}]");
    assert.deepEqual(seen.map((s) => [s.line, s.column]), [[2, 2], [5, 2]]);
  });

  it("gives the same records however the text is split into chunks", async () => {
    const text = `; c\n[{:type :invoke, :f :write, :value "a b\\"", :process 12}\n {:type :ok :f :write :value #{1 2} :process 12 :big 123456789012345678901}]\n`;
    const whole = await records(text);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 8 }), async (cuts) => {
        const sorted = [0, ...cuts.sort((a, b) => a - b), text.length];
        const parts = sorted.slice(1).map((end, i) => text.slice(sorted[i], end));
        assert.deepEqual(await records(...parts), whole);
      }),
    );
  });

  it("reports a truncated file at the form left open", async () => {
    const { bads } = await records("[{:type :invoke, :f :read, :process 0}\n {:type :ok, :f :read,");
    assert.deepEqual(bads[0], { line: 2, column: 2, reason: "the file ended inside the form that opens here; expected a closing '}'" });
    assert.match(bads[1]!.reason, /top-level '\[' opened here was closed/);
    assert.deepEqual([bads[1]!.line, bads[1]!.column], [1, 1]);
  });

  it("reports an unbalanced bracket and trailing junk with line:col", async () => {
    assert.deepEqual((await records("{:type :ok, :f :read, :value [1 2}, :process 0}")).bads[0], {
      line: 1,
      column: 34,
      reason: "expected ']' to close the '[' opened earlier, found '}'",
    });
    assert.deepEqual((await records("[{:type :ok, :f :read, :process 0}]\n junk")).bads[0]!.line, 2);
  });

  it("resumes at the next line starting with '{' after a bad form (for --lenient)", async () => {
    const { seen, bads } = await records("{:type :invoke :f :read :process 0 :value [}\n{:type :invoke, :f :read, :process 1}\n");
    assert.equal(bads.length, 1);
    assert.deepEqual(seen.map((s) => s.line), [2]);
  });
});

describe("EDN parser", () => {
  it("sniffs EDN op maps and rejects JSON and text", () => {
    assert.equal(ednParser.sniff("[{:process 0, :type :invoke, :f :read}"), true);
    assert.equal(ednParser.sniff("; c\n{:type :invoke}"), true);
    assert.notEqual(ednParser.sniff('[{"type":"invoke"}]'), true);
    assert.notEqual(ednParser.sniff("INFO  jepsen.util - 0\t:invoke\t:read\tnil"), true);
  });

  it("loads Knossos-style histories, nemesis :info starts included", async () => {
    const file = writeTemp(
      "h.edn",
      `[{:process 0, :type :invoke, :f :write, :value 1}
 {:process :nemesis, :type :info, :f :start, :value nil}
 {:process 0, :type :ok, :f :write, :value 1}
 {:process :nemesis, :type :info, :f :start, :value "cut"}]`,
    );
    const history = await loadHistory(file);
    assert.equal(history.format, "edn");
    assert.equal(history.recordCount, 4);
    assert.deepEqual(
      history.operations.map((o) => [o.process, o.f, o.outcome, o.call, o.ret, o.output]),
      [
        [0, "write", "ok", 0, 2, 1],
        ["nemesis", "start", "info", 1, Infinity, "cut"],
      ],
    );
    assert.equal(history.annotations.nemesisInfoAsInvoke, 1);
  });

  it("makes up processes and f for Elle's process-less transactions", async () => {
    const file = writeTemp(
      "e.edn",
      `{:index 0 :type :invoke :value [[:append 1 2]]}
{:index 1 :type :invoke :f :read :value nil}
{:index 2 :type :ok :value [[:append 1 2]]}
{:index 3 :type :ok :f :read :value [2]}`,
    );
    const history = await loadHistory(file);
    assert.deepEqual(
      history.operations.map((o) => [o.process, o.f, o.call, o.ret]),
      [
        [-1, "txn", 0, 2],
        [-2, "read", 1, 3],
      ],
    );
    assert.deepEqual(history.annotations, { synthesizedProcesses: 2, assumedTxnF: 2 });
  });

  it("makes up invocations for ok-only histories and renumbers from there", async () => {
    const file = writeTemp("ok-only.edn", `{:index 0 :type :ok :f :txn :process 3 :value [[:r 1 [1]]]}\n{:index 1 :type :invoke :f :txn :process 4 :value []}\n`);
    const history = await loadHistory(file);
    assert.deepEqual(
      history.operations.map((o) => [o.process, o.invokeIndex, o.completeIndex, o.invoke.synthesized, o.invoke.sourceIndex]),
      [
        [3, 0, 1, true, undefined],
        [4, 2, undefined, undefined, 1],
      ],
    );
    assert.equal(history.annotations.synthesizedInvocations, 1);
  });

  it("stops with FILE:LINE:COL on bad input, and counts skips with --lenient", async () => {
    const file = writeTemp("bad.edn", "{:type :invoke, :f :read, :process 0}\n{:type :bogus, :f :read, :process 0}\n{:type :ok, :f :read, :process 0}\n");
    await assert.rejects(loadHistory(file), (e: unknown) => e instanceof InputError && e.toString() === `${file}:2:1: :type must be one of :invoke, :ok, :fail or :info, found "bogus"`);
    const lenient = await loadHistory(file, { lenient: true });
    assert.equal(lenient.skippedCount, 1);
    assert.equal(lenient.recordCount, 2);
  });

  it("takes a byte-order mark and CRLF line endings in its stride", async () => {
    const history = await loadHistory(writeTemp("bom.edn", "\uFEFF[{:type :invoke, :f :read, :process 0}\r\n {:type :ok, :f :read, :value 1, :process 0}]\r\n"));
    assert.deepEqual(history.operations.map((o) => [o.f, o.output]), [["read", 1]]);
  });

  it("reports a binary file as unrecognised, never crashing", async () => {
    const file = writeTemp("x.bin", "\u0000\u00ff\u0013\u0037{\u0000[");
    await assert.rejects(loadHistory(file), (e: unknown) => e instanceof InputError && /unrecognised format; tried ndjson: .*; edn: /.test(e.message));
  });
});

const OP = "{:type :invoke, :f :read, :process 0, :value";

describe("EDN limits", () => {
  it("refuses nesting 5,000 deep with its place, for collections, tags and discards", async () => {
    for (const [name, value] of [
      ["vectors", `${"[".repeat(5000)}${"]".repeat(5000)}`],
      ["maps", `${"{:a ".repeat(5000)}1${"}".repeat(5000)}`],
      ["tags", `${"#t ".repeat(5000)}1`],
      ["discards", `${"#_ ".repeat(5000)}1 2`],
    ]) {
      await assert.rejects(loadHistory(writeTemp(`${name}.edn`, `${OP} nil}\n${OP} ${value}}\n`)), new RegExp(`${name}\\.edn:2:\\d+: value nested deeper than 512 levels`), name);
    }
  });

  it("reads nesting up to the cap", async () => {
    const h = await loadHistory(writeTemp("ok.edn", `${OP} ${"[".repeat(511)}${"]".repeat(511)}}\n`));
    assert.equal(h.recordCount, 1);
  });

  it("refuses a key given twice in one map at the second key, in the first record too", async () => {
    await assert.rejects(loadHistory(writeTemp("dup.edn", "{:type :fail, :f :write,\n :process 0, :type :ok}\n")), /dup\.edn:2:14: key "type" given twice in one map/);
    await assert.rejects(loadHistory(writeTemp("dup2.edn", `[${OP} nil}\n ${OP} {:x 1 :x 2}}]`)), /dup2\.edn:2:53: key "x" given twice/);
  });

  it("with --lenient skips the bad map, counts it, and reads on", async () => {
    const h = await loadHistory(writeTemp("dup3.edn", `${OP} nil, :f :write}\n{:type :ok, :f :read, :process 0, :value 1}\n`), { lenient: true });
    assert.equal(h.skippedCount, 1);
    assert.equal(h.operations.length, 1);
  });
});
