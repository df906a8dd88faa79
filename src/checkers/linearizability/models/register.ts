import { opName, show, valueKey, type Effect, type LinOp, type Model } from "../model.ts";

/** A read/write register: a read returns the last value written (initially --initial, default nil). */
export const registerModel: Model<unknown> = {
  name: "register",
  description: "read/write register",
  ops: [
    { f: "read", does: "returns the value", readOnly: true },
    { f: "write", does: "sets the value" },
  ],
  requires: ["write"],
  auto: true,
  init: (initial) => initial ?? null,
  registerInitial: (initial) => initial ?? null,
  apply: registerApply,
  key: valueKey,
  describeState: show,
  forgetNilReads: forgetNilRead,
};

export function registerApply(state: unknown, op: LinOp): Effect<unknown> | undefined {
  switch (opName(op.f)) {
    case "write":
      return { next: op.input ?? null };
    case "read":
      return { next: state, output: state };
    default:
      return undefined;
  }
}

/** Knossos: an ok read of nil matches any state, so it is left out of the check. */
export function forgetNilRead(op: LinOp): LinOp | undefined {
  return opName(op.f) === "read" && op.outcome === "ok" && op.output == null ? undefined : op;
}
