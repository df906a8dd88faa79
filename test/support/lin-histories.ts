/** Builders of small histories for the linearizability tests. */
import { Pairer } from "../../src/history/pair.ts";
import type { History } from "../../src/history/history.ts";
import type { RawOp } from "../../src/history/op.ts";

export type Rec = [process: number, type: RawOp["type"], f: string, value?: unknown, key?: unknown];

/** A History from records written in order, like a file would hold them. */
export function historyOf(records: Rec[]): History {
  const pairer = new Pairer();
  for (const [process, type, f, value, key] of records) {
    const raw: RawOp = { type, f, process };
    if (value !== undefined) raw.value = value;
    if (key !== undefined) raw.key = key;
    pairer.add(raw);
  }
  return { file: "test", format: "ndjson", recordCount: records.length, operations: pairer.finish(), skipped: [], skippedCount: 0, warnings: [], annotations: {} };
}

/** A seeded xorshift: the same history for the same seed. */
export function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}
