import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CHECKERS, chooseCheckers, validateCheckerFlags } from "../../src/checkers/registry.ts";
import { UsageError } from "../../src/history/errors.ts";
import { historyOf } from "../support/helpers.ts";

describe("--checker auto", () => {
  it("picks linearizability for register ops, and says why", () => {
    const h = historyOf([
      { type: "invoke", f: "write", value: 1, process: 0 },
      { type: "ok", f: "write", value: 1, process: 0 },
    ]);
    const picked = chooseCheckers(["auto"], h);
    assert.deepEqual(
      picked.map((c) => c.checker.name),
      ["stats", "linearizable"],
    );
    assert.ok(picked.every((c) => c.reason.length > 0));
  });

  it("lets the LWW checker take row writes instead of linearizability, which would misread them as one register", () => {
    const h = historyOf([
      { type: "invoke", f: "write", value: { row: 1, cells: { a: 1, b: -1 }, ts: 10 }, process: 0 },
      { type: "ok", f: "write", value: { row: 1, cells: { a: 1, b: -1 }, ts: 10 }, process: 0 },
      { type: "invoke", f: "read", value: { row: 1, cells: null }, process: 1 },
      { type: "ok", f: "read", value: { row: 1, cells: { a: 1, b: -1 } }, process: 1 },
    ]);
    assert.deepEqual(
      chooseCheckers(["auto"], h).map((c) => c.checker.name),
      ["stats", "lww"],
    );
  });

  it("runs exactly the checkers named, in the order named", () => {
    assert.deepEqual(
      chooseCheckers(["counter", "stats"], undefined).map((c) => c.checker.name),
      ["counter", "stats"],
    );
  });
});

describe("checker flags", () => {
  it("every checker validates its own flags: a bad one is a usage error before any file is read", () => {
    assert.doesNotThrow(() => validateCheckerFlags({ model: "cas-register", initial: "null", consistencyModel: "serializable" }, {}));
    for (const flags of [{ model: "nope" }, { initial: "{bad" }, { consistencyModel: "snapshot" }]) assert.throws(() => validateCheckerFlags(flags, {}), UsageError, JSON.stringify(flags));
  });

  it("flags and names are unique across the registry, a shared flag declared alike", () => {
    const names = CHECKERS.map((c) => c.name);
    assert.equal(new Set(names).size, names.length);
    const byFlag = new Map<string, string>();
    for (const f of CHECKERS.flatMap((c) => c.flags)) {
      assert.equal(byFlag.get(f.flags) ?? f.description, f.description, `${f.flags} described two ways`);
      byFlag.set(f.flags, f.description);
    }
  });
});

describe("a checker named with --checker", () => {
  const oneRead = historyOf([
    { type: "invoke", f: "add", value: 1, process: 0 },
    { type: "ok", f: "add", value: 1, process: 0 },
    { type: "invoke", f: "read", process: 1 },
    { type: "ok", f: "read", value: [1], process: 1 },
  ]);
  it("runs where it can judge the ops, though auto would pick its sibling (set-full on one read)", () => {
    const [choice] = chooseCheckers(["set-full"], oneRead);
    assert.equal(choice!.checker.name, "set-full");
    assert.equal(choice!.notApplicable, undefined);
  });
  it("is explained, not run, where its ops are absent (counter on adds and reads)", () => {
    const [choice] = chooseCheckers(["counter"], oneRead);
    assert.match(choice!.notApplicable ?? "", /^counter does not apply to these operations \(ops: add, read\)/);
  });
});
