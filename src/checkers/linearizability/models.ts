import { UsageError } from "../../history/errors.ts";
import { opName, type LinOp, type Model } from "./model.ts";
import { casRegisterModel } from "./models/cas-register.ts";
import { fifoQueueModel } from "./models/fifo-queue.ts";
import { kvAppendModel } from "./models/kv-append.ts";
import { kvModel } from "./models/kv.ts";
import { multiRegisterModel } from "./models/multi-register.ts";
import { mutexModel } from "./models/mutex.ts";
import { registerModel } from "./models/register.ts";
import { setModel } from "./models/set.ts";

export const MODELS: readonly Model[] = [
  registerModel,
  casRegisterModel,
  mutexModel,
  multiRegisterModel,
  kvModel,
  kvAppendModel,
  setModel,
  fifoQueueModel,
] as Model[];

export function modelNamed(name: string): Model {
  const model = MODELS.find((m) => m.name === name);
  if (!model) throw new UsageError(`unknown model "${name}"; expected auto or one of: ${MODELS.map((m) => m.name).join(", ")}`);
  return model;
}

export interface ModelChoice {
  model: Model;
  /** Why, shown to the user. */
  reason: string;
}

/** --model auto: the model whose vocabulary the ops use and that can read every op; undefined when none fits. */
export function inferModel(ops: readonly LinOp[]): ModelChoice | undefined {
  const choice = modelForVocabulary(ops);
  return choice && ops.every((op) => op.outcome === "fail" || choice.model.reject(op) === undefined) ? choice : undefined;
}

function modelForVocabulary(ops: readonly LinOp[]): ModelChoice | undefined {
  const fs = new Set(ops.map((op) => opName(op.f)));
  const keyed = ops.length > 0 && ops.every((op) => op.key !== undefined);
  const has = (...names: string[]): boolean => names.some((f) => fs.has(f));
  const only = (...names: string[]): boolean => [...fs].every((f) => names.includes(f));
  const listed = [...fs].sort().join(", ");
  const pick = (name: string, why: string): ModelChoice => ({ model: modelNamed(name), reason: `--model auto chose ${name}: ${why} (ops: ${listed})` });
  if (fs.size === 0) return undefined;
  if (only("acquire", "release")) return pick("mutex", "only acquire/release");
  if (only("txn")) return pick("multi-register", "txns of micro-ops");
  if (only("get", "put", "append")) return keyed ? pick("kv-append", "get/put/append on keyed ops") : undefined;
  // Reads alone say nothing about a register's writes: no model to infer.
  if (only("read", "write", "cas") && has("write", "cas")) {
    if (keyed) return pick("kv", "read/write/cas on keyed ops");
    return has("cas") ? pick("cas-register", "read/write/cas") : pick("register", "read/write only");
  }
  if (only("add", "remove", "read") && has("add")) return pick("set", "add/remove/read");
  if (only("enqueue", "dequeue")) return pick("fifo-queue", "enqueue/dequeue");
  return undefined;
}
