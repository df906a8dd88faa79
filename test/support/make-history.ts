import type { History } from "../../src/history/history.ts";
import type { RawOp } from "../../src/history/op.ts";
import { historyOf } from "./helpers.ts";

/** historyOf with times (1 ms per record, unless given) and parser annotations. */
export function makeHistory(records: RawOp[], annotations: Record<string, unknown> = {}): History {
  return { ...historyOf(records.map((r, i) => ({ time: (i + 1) * 1e6, ...r }))), annotations };
}

/** invoke + completion of one op on `process`. */
export function op(process: number, f: string, value: unknown, type: "ok" | "fail" | "info" = "ok", output: unknown = value): RawOp[] {
  return [
    { type: "invoke", f, process, value },
    { type, f, process, value: output },
  ];
}
