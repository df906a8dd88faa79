import type { CycleStepData } from "./anomaly.ts";
import { isRead, type MicroOp } from "./facts.ts";

/** "T12": transactions are named by their operation id throughout the evidence. */
export function txnName(opId: number): string {
  return `T${opId}`;
}

/** A key or value as Elle prints it: nil, 3, x, [1 2]. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return "nil";
  if (Array.isArray(v)) return showList(v);
  return typeof v === "string" ? v : JSON.stringify(v);
}

export function showList(elements: readonly unknown[]): string {
  return `[${elements.map(show).join(" ")}]`;
}

/** A micro-op as text: `append x 3`, `r x [1 2]`. */
export function describeMop(m: MicroOp): string {
  return `${m[0]} ${show(m[1])} ${isRead(m) && m[2] === undefined ? "nil" : show(m[2])}`;
}

/** "T3 -rw(x)→ T1 -wr(x)→ T2 -ww(y)→ T3", as the Elle paper writes cycles. */
export function cycleNotation(steps: readonly CycleStepData[]): string {
  const edge = (s: CycleStepData): string => `-${s.kind}${s.key !== undefined ? `(${show(s.key)})` : ""}→`;
  return [...steps.map((s) => `${txnName(s.from)} ${edge(s)}`), txnName(steps[0]!.from)].join(" ");
}
