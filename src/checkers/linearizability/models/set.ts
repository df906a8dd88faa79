import { opName, show, valueKey, type Model } from "../model.ts";

/** Elements' keys, sorted: a canonical form that equal sets share. */
type Elements = readonly (string | number)[];

function sortedKeys(keys: readonly (string | number)[]): Elements {
  return [...keys].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

function canonical(elements: readonly unknown[]): Elements {
  return sortedKeys([...new Set(elements.map(valueKey))]);
}

/**
 * A set: add x, remove x, and read returning every element (order ignored, as in Porcupine's
 * set model). Initially empty or --initial [..]. A read listing an element twice is no set's
 * state: it is compared as read, never de-duplicated first.
 */
export const setModel: Model<Elements> = {
  name: "set",
  description: "set with add/remove/read",
  ops: [
    { f: "add", does: "x: adds x" },
    { f: "remove", does: "x: removes x" },
    { f: "read", does: "returns every element, in any order", readOnly: true },
  ],
  requires: ["add"],
  auto: false,
  init: (initial) => canonical(Array.isArray(initial) ? initial : []),
  apply(state, op) {
    switch (opName(op.f)) {
      case "add": {
        const k = valueKey(op.input);
        return { next: state.includes(k) ? state : sortedKeys([...state, k]) };
      }
      case "remove":
        return { next: state.filter((e) => e !== valueKey(op.input)) };
      case "read":
        return { next: state, output: state };
      default:
        return undefined;
    }
  },
  sameOutput: (recorded, returned) => JSON.stringify(sortedKeys((recorded as unknown[]).map(valueKey))) === JSON.stringify(returned),
  key: (state) => JSON.stringify(state),
  describeState: (state) => `{${state.join(", ")}}`,
  rejectValue: (op) => (opName(op.f) === "read" && op.outcome === "ok" && !Array.isArray(op.output) ? `op ${op.id}: a read returns a list, got ${show(op.output)}` : undefined),
};
