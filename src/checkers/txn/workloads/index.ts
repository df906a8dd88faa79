import { READ, type TxnRecord } from "../facts.ts";
import type { TxnWorkload } from "../workload.ts";
import { listAppend } from "./list-append.ts";
import { rwRegister } from "./rw-register.ts";

export const WORKLOADS: readonly TxnWorkload[] = [listAppend, rwRegister];

export const MICRO_OP_NAMES: ReadonlySet<unknown> = new Set([READ, ...WORKLOADS.map((w) => w.write)]);

/**
 * The first micro-op that marks a workload decides (an append or list-valued read: list-append;
 * a `w`: rw-register); in a history mixing both, the other kind's txns are counted as malformed.
 */
export function detectWorkload(records: readonly TxnRecord[]): TxnWorkload {
  for (const { value } of records) {
    if (!Array.isArray(value)) continue;
    for (const m of value) {
      if (!Array.isArray(m)) continue;
      const marked = WORKLOADS.find((w) => w.marks(m));
      if (marked) return marked;
    }
  }
  return rwRegister;
}
