import { opName, sameValue, show, valueKey, type Effect, type LinOp, type Model } from "../model.ts";
import { forgetNilRead, registerApply, registerModel } from "./register.ts";

/**
 * Knossos's and Jepsen etcd's cas-register: read, write, and cas `[old new]`, which sets `new`
 * only when the register holds `old`. A failed cas never took effect, like any failed op; under
 * Porcupine's semantics it still observed that the register did not hold `old`.
 */
export const casRegisterModel: Model<unknown> = {
  name: "cas-register",
  description: "read/write/compare-and-set register",
  ops: [...registerModel.ops, { f: "cas", does: "[old new]: sets new when the value is old" }],
  requires: ["cas"],
  auto: true,
  init: (initial) => initial ?? null,
  registerInitial: (initial) => initial ?? null,
  apply: casRegisterApply,
  key: valueKey,
  readOnly: casReadOnly,
  describeState: show,
  rejectValue: rejectCasValue,
  forgetNilReads: forgetNilRead,
  failedObserves: isCas,
};

export function casRegisterApply(state: unknown, op: LinOp): Effect<unknown> | undefined {
  if (!isCas(op)) return registerApply(state, op);
  const [expected, next] = op.input as [unknown, unknown];
  const matched = sameValue(state, expected);
  // A failed cas (kept only under Porcupine's semantics) happened exactly when the compare failed.
  if (op.outcome === "fail") return matched ? undefined : { next: state };
  return matched ? { next: next ?? null } : undefined;
}

/** A read, or a failed cas: neither changes the value. */
export function casReadOnly(op: LinOp): boolean {
  return opName(op.f) === "read" || (isCas(op) && op.outcome === "fail");
}

export function rejectCasValue(op: LinOp): string | undefined {
  return !isCas(op) || (Array.isArray(op.input) && op.input.length === 2) ? undefined : `op ${op.id}: a cas takes [old new], got ${show(op.input)}`;
}

function isCas(op: LinOp): boolean {
  return opName(op.f) === "cas";
}
