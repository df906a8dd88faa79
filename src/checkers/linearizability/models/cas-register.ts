import { isRead, type LinOp, type Model, opName, sameValue, show, unsupported, valueKey } from "../model.ts";
import { registerStep } from "./register.ts";

/**
 * Knossos's and Jepsen etcd's cas-register: read, write, and cas `[old new]`, which sets `new`
 * only when the register holds `old`. A failed cas never took effect, like any failed op.
 */
export const casRegisterModel: Model<unknown> = {
  name: "cas-register",
  description: "read/write/compare-and-set register",
  init: (initial) => initial ?? null,
  registerInitial: (initial) => initial ?? null,
  step: casRegisterStep,
  key: valueKey,
  readOnly: isRead,
  describeState: show,
  reject: rejectCasRegisterOp,
};

export function casRegisterStep(state: unknown, op: LinOp): unknown {
  if (opName(op.f) !== "cas") return registerStep(state, op);
  const [expected, next] = op.input as [unknown, unknown];
  return sameValue(state, expected) ? (next ?? null) : undefined;
}

export function rejectCasRegisterOp(op: LinOp): string | undefined {
  const f = opName(op.f);
  if (f === "read" || f === "write") return undefined;
  if (f !== "cas") return unsupported(op, "read, write and cas");
  return Array.isArray(op.input) && op.input.length === 2 ? undefined : `op ${op.id}: a cas takes [old new], got ${show(op.input)}`;
}
