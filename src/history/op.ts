/** The canonical op model: one record as written, and an invocation paired with its completion. */

export type OpType = "invoke" | "ok" | "fail" | "info";
export const OP_TYPES: readonly OpType[] = ["invoke", "ok", "fail", "info"];

/**
 * Integers are client processes, and so is every string but one: Jepsen's fault injector is the
 * process `:nemesis`, written "nemesis" (NEMESIS_PROCESS). A string such as "1", or an EDN
 * process beyond 2^53 kept as its decimal text, is a client whose ops are judged.
 */
export type ProcessId = number | string;

/** The one process that injects faults rather than acting as a client (Jepsen's `:nemesis`). */
export const NEMESIS_PROCESS = "nemesis";

/** One record of a history, Jepsen's conventions: `time` in nanoseconds since the test began. */
export interface Op {
  index: number;
  type: OpType;
  f: string;
  process: ProcessId;
  value?: unknown;
  time?: number;
  error?: unknown;
  node?: string;
  key?: unknown;
  [field: string]: unknown;
}

/** An op as a parser yields it: the index is assigned (or validated) when the history is built. */
export type RawOp = Omit<Op, "index"> & { index?: number };

export type Outcome = "ok" | "fail" | "info";

/**
 * An invocation paired with its completion.
 * `call`/`ret` are positions in the history (its real-time order); `ret` is Infinity when the
 * outcome is indeterminate (`info`, or never completed), since such an op may take effect at
 * any point after its invocation, or never.
 */
export interface Operation {
  id: number;
  process: ProcessId;
  f: string;
  input: unknown;
  output: unknown;
  outcome: Outcome;
  call: number;
  ret: number;
  /** Index of the invoke record, and of the completion record (undefined if never completed). */
  invokeIndex: number;
  completeIndex: number | undefined;
  /** Nanoseconds, when the history carries times. */
  callTime: number | undefined;
  retTime: number | undefined;
  error: unknown;
  /** The invocation record, with any extra fields the harness wrote (key, node, ts, …). */
  invoke: Op;
}

export function isClientProcess(process: ProcessId): boolean {
  return process !== NEMESIS_PROCESS;
}
