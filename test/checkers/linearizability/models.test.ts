import assert from "node:assert/strict";
import { test } from "node:test";
import { checkLinearizable } from "../../../src/checkers/linearizability/linearizable.ts";
import { rejectOp, step, type LinOp } from "../../../src/checkers/linearizability/model.ts";
import { inferModel, modelList, MODELS, modelNamed } from "../../../src/checkers/linearizability/models.ts";
import { historyOf } from "../../support/lin-histories.ts";

const op = (f: string, fields: Partial<LinOp> = {}): LinOp => ({ id: 0, process: 0, f, input: undefined, output: undefined, outcome: "ok", call: 0, ret: 1, ...fields });

test("--model auto derives from the model table: the simplest model that knows every f and sees one it requires", () => {
  const chosen = (...ops: LinOp[]): string | undefined => inferModel(ops)?.model.name;
  assert.equal(chosen(op("read"), op("write", { input: 1 })), "register");
  assert.equal(chosen(op(":read"), op("cas", { input: [1, 2] })), "cas-register");
  assert.equal(chosen(op("read", { key: "k" }), op("write", { input: 1, key: "k" })), "kv");
  assert.equal(chosen(op("get", { key: "k" }), op("append", { input: "x", key: "k" })), "kv-append");
  assert.equal(chosen(op("add", { input: 1 }), op("read", { output: [1] })), "set");
  assert.equal(chosen(op("acquire")), "mutex");
  assert.equal(chosen(op("enqueue", { input: 1 })), "fifo-queue");
  // Reads alone say nothing about writes; unknown fs fit no model.
  assert.equal(chosen(op("read")), undefined);
  assert.equal(chosen(op("write", { input: 1 }), op("frobnicate")), undefined);
});

test("the model list for --help comes from the table, and an unknown f is rejected naming the fs the model knows", () => {
  assert.equal(modelList().split("), ").length, MODELS.length);
  assert.match(modelList(), /^register \(read, write\), cas-register \(read, write, cas\)/);
  assert.equal(rejectOp(modelNamed("register"), op("cas", { id: 7 })), 'op 7 has f "cas"; register knows read and write');
  assert.equal(rejectOp(modelNamed("kv"), op("read", { id: 3 })), "op 3 has no key; kv ops carry one");
});

test("an op of unknown outcome is never compared with its output, in every model (one place: step)", () => {
  for (const model of MODELS) {
    const spec = model.ops.find((s) => s.readOnly) ?? model.ops[0]!;
    const unknown = op(spec.f, { outcome: "info", output: "garbage", input: model.keyed ? "x" : undefined, key: model.keyed ? "k" : undefined });
    const state = model.init(undefined);
    const effect = model.apply(state, unknown);
    if (effect !== undefined) assert.notEqual(step(model, state, unknown), undefined, model.name);
  }
});

test("set: a read listing an element twice is no set's state (Porcupine's set model)", () => {
  const history = (read: unknown[]) =>
    historyOf([
      [0, "invoke", "add", 1],
      [0, "ok", "add", 1],
      [0, "invoke", "read"],
      [0, "ok", "read", read],
    ]);
  assert.equal(checkLinearizable(history([1]), { model: "set" }).valid, true);
  assert.equal(checkLinearizable(history([1, 1]), { model: "set" }).valid, false);
  // Order is still free: a set has none.
  const two = historyOf([[0, "invoke", "add", 2], [0, "ok", "add", 2], [0, "invoke", "add", 1], [0, "ok", "add", 1], [0, "invoke", "read"], [0, "ok", "read", [1, 2]]]);
  assert.equal(checkLinearizable(two, { model: "set" }).valid, true);
});
