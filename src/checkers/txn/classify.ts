import { cycleType, type CycleBase, type CycleOrder, type CycleType } from "./anomaly.ts";
import { PROCESS, REALTIME, RW, WR } from "./graph.ts";

export interface CycleName {
  type: CycleType;
  base: CycleBase;
  order?: CycleOrder;
}

/**
 * Adya's name for a cycle, from the edge kinds it uses: G0 (ww only), G1c (ww and wr, some wr),
 * G-single (exactly one rw), G-nonadjacent (several rw, no two consecutive), G2-item (several
 * rw, some consecutive); `-process` / `-realtime` when it needs such order edges.
 */
export function classifyCycle(kinds: readonly number[]): CycleName {
  const rw = kinds.filter((k) => k === RW).length;
  let base: CycleBase;
  if (rw === 0) base = kinds.includes(WR) ? "G1c" : "G0";
  else if (rw === 1) base = "G-single";
  else base = kinds.some((k, i) => k === RW && kinds[(i + 1) % kinds.length] === RW) ? "G2-item" : "G-nonadjacent";
  const order: CycleOrder | undefined = kinds.includes(REALTIME) ? "realtime" : kinds.includes(PROCESS) ? "process" : undefined;
  return { type: cycleType(base, order), base, ...(order ? { order } : {}) };
}
