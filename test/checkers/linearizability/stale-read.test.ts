import assert from "node:assert/strict";
import { test } from "node:test";
import { staleRead } from "../../../src/checkers/linearizability/stale-read.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { historyOf } from "../../support/helpers.ts";

const w = (process: number, value: number, type: "ok" | "info" = "ok"): RawOp[] => [
  { type: "invoke", f: "write", value, process },
  { type, f: "write", value, process },
];

test("a read of an overwritten value names the write it returned and the write it should have seen", () => {
  const { operations } = historyOf([...w(0, 1), ...w(0, 2), { type: "invoke", f: "read", value: null, process: 1 }, { type: "ok", f: "read", value: 1, process: 1 }]);
  const stale = staleRead(operations[2]!, operations);
  assert.deepEqual(stale && [stale.returned.id, stale.missed.id], [0, 1]);
});

test("no stale read is claimed when real-time order does not prove one", () => {
  // The second write overlaps the first: it may have taken effect before it.
  const concurrent = historyOf([
    { type: "invoke", f: "write", value: 1, process: 0 },
    { type: "invoke", f: "write", value: 2, process: 2 },
    { type: "ok", f: "write", value: 1, process: 0 },
    { type: "ok", f: "write", value: 2, process: 2 },
    { type: "invoke", f: "read", value: null, process: 1 },
    { type: "ok", f: "read", value: 1, process: 1 },
  ]).operations;
  assert.equal(staleRead(concurrent[2]!, concurrent), undefined);
  // An indeterminate write of the value read may take effect late.
  const late = historyOf([...w(0, 1), ...w(0, 2), ...w(3, 1, "info"), { type: "invoke", f: "read", value: null, process: 1 }, { type: "ok", f: "read", value: 1, process: 1 }]).operations;
  assert.equal(staleRead(late[3]!, late), undefined);
  // The value was written again after the other write.
  const again = historyOf([...w(0, 1), ...w(0, 2), ...w(0, 1), { type: "invoke", f: "read", value: null, process: 1 }, { type: "ok", f: "read", value: 1, process: 1 }]).operations;
  assert.equal(staleRead(again[3]!, again), undefined);
});
