import { isRead, type Model, opName, show, unsupported, valueKey } from "../model.ts";

/** Elements' keys, sorted: a canonical form that equal sets share. */
type Elements = readonly (string | number)[];

function canonical(elements: readonly unknown[]): Elements {
  return sortedKeys(elements.map(valueKey));
}

function sortedKeys(keys: readonly (string | number)[]): Elements {
  return [...new Set(keys)].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

/** A set: add x, remove x, and read returning every element (order ignored). Initially empty or --initial [..]. */
export const setModel: Model<Elements> = {
  name: "set",
  description: "set with add/remove/read",
  init: (initial) => canonical(Array.isArray(initial) ? initial : []),
  step(state, op) {
    switch (opName(op.f)) {
      case "add":
        return sortedKeys([...state, valueKey(op.input)]);
      case "remove":
        return state.filter((e) => e !== valueKey(op.input));
      case "read":
        return op.outcome === "info" || JSON.stringify(canonical(op.output as unknown[])) === JSON.stringify(state) ? state : undefined;
      default:
        return undefined;
    }
  },
  key: (state) => JSON.stringify(state),
  readOnly: isRead,
  describeState: (state) => `{${state.join(", ")}}`,
  reject(op) {
    const f = opName(op.f);
    if (!["add", "remove", "read"].includes(f)) return unsupported(op, "add, remove and read");
    return f === "read" && op.outcome === "ok" && !Array.isArray(op.output) ? `op ${op.id}: a read returns a list, got ${show(op.output)}` : undefined;
  },
};
