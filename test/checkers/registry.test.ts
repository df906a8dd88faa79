import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chooseCheckers } from "../../src/checkers/registry.ts";
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
