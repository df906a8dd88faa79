import { READ } from "../facts.ts";
import type { TxnWorkload } from "../workload.ts";
import { listAppend } from "./list-append.ts";
import { rwRegister } from "./rw-register.ts";

export const WORKLOADS: readonly TxnWorkload[] = [listAppend, rwRegister];

export const MICRO_OP_NAMES: ReadonlySet<unknown> = new Set([READ, ...WORKLOADS.map((w) => w.write)]);

/** The workload of a history no micro-op marks (Elle's default). */
export const DEFAULT_WORKLOAD: TxnWorkload = rwRegister;
