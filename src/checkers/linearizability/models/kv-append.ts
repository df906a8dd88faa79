import { opName, sameValue, unsupported, type LinOp } from "../model.ts";
import { perKey } from "./keyed.ts";

/** Porcupine's kv logs: get / put / append on strings per key; an unwritten key holds "". */
export const kvAppendModel = perKey({
  name: "kv-append",
  description: "key → string with get/put/append",
  defaultInitial: "",
  step(value: unknown, op: LinOp): unknown {
    switch (opName(op.f)) {
      case "put":
        return String(op.input ?? "");
      case "append":
        return String(value) + String(op.input ?? "");
      case "get":
        return op.outcome === "info" || sameValue(op.output ?? "", value) ? value : undefined;
      default:
        return undefined;
    }
  },
  readOnly: (op) => opName(op.f) === "get",
  reject: (op) => (["get", "put", "append"].includes(opName(op.f)) ? undefined : unsupported(op, "get, put and append")),
});
