import { ndjson } from "./helpers.ts";

/** Write skew: two txns read x and y from the same snapshot and each appends to one of them. */
export const skew = ndjson([
  { type: "invoke", f: "txn", process: 0, value: [["append", "x", 1], ["append", "y", 1]] },
  { type: "ok", f: "txn", process: 0, value: [["append", "x", 1], ["append", "y", 1]] },
  { type: "invoke", f: "txn", process: 1, value: [["r", "x", null], ["r", "y", null], ["append", "x", 2]] },
  { type: "invoke", f: "txn", process: 2, value: [["r", "x", null], ["r", "y", null], ["append", "y", 2]] },
  { type: "ok", f: "txn", process: 1, value: [["r", "x", [1]], ["r", "y", [1]], ["append", "x", 2]] },
  { type: "ok", f: "txn", process: 2, value: [["r", "x", [1]], ["r", "y", [1]], ["append", "y", 2]] },
  { type: "invoke", f: "txn", process: 3, value: [["r", "x", null], ["r", "y", null]] },
  { type: "ok", f: "txn", process: 3, value: [["r", "x", [1, 2]], ["r", "y", [1, 2]]] },
]);
