import type { History } from "../src/history/history.ts";
import type { RawOp } from "../src/history/op.ts";
import { Pairer } from "../src/history/pair.ts";

/** A History from records in order, as a parser would feed them (time defaults to 1 ms per record). */
export function makeHistory(records: RawOp[], annotations: Record<string, unknown> = {}): History {
  const pairer = new Pairer();
  records.forEach((r, i) => pairer.add({ time: (i + 1) * 1e6, ...r }));
  return { file: "test.ndjson", format: "ndjson", recordCount: records.length, operations: pairer.finish(), skipped: [], skippedCount: 0, warnings: [], annotations };
}

/** invoke + completion of one op on `process`. */
export function op(process: number, f: string, value: unknown, type: "ok" | "fail" | "info" = "ok", output: unknown = value): RawOp[] {
  return [
    { type: "invoke", f, process, value },
    { type, f, process, value: output },
  ];
}
