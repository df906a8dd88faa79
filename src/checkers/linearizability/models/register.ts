import { isRead, type LinOp, type Model, opName, sameValue, show, unsupported, valueKey } from "../model.ts";

/** A read/write register: a read returns the last value written (initially --initial, default nil). */
export const registerModel: Model<unknown> = {
  name: "register",
  description: "read/write register",
  init: (initial) => initial ?? null,
  registerInitial: (initial) => initial ?? null,
  step: registerStep,
  key: valueKey,
  readOnly: isRead,
  describeState: show,
  reject: (op) => (opName(op.f) === "read" || opName(op.f) === "write" ? undefined : unsupported(op, "read and write")),
};

export function registerStep(state: unknown, op: LinOp): unknown {
  switch (opName(op.f)) {
    case "write":
      return op.input ?? null;
    case "read":
      return op.outcome === "info" || sameValue(op.output, state) ? state : undefined;
    default:
      return undefined;
  }
}
