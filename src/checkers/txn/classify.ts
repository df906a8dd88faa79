import { PROCESS, REALTIME, RW, WR } from "./graph.ts";

/**
 * Adya's name for a cycle, from the edge kinds it uses: G0 (ww only), G1c (ww and wr, some wr),
 * G-single (exactly one rw), G-nonadjacent (several rw, no two consecutive), G2-item (several
 * rw, some consecutive); `-process` / `-realtime` when it needs such order edges.
 */
export function classifyCycle(kinds: readonly number[]): string {
  const rw = kinds.filter((k) => k === RW).length;
  let base: string;
  if (rw === 0) base = kinds.includes(WR) ? "G1c" : "G0";
  else if (rw === 1) base = "G-single";
  else base = kinds.some((k, i) => k === RW && kinds[(i + 1) % kinds.length] === RW) ? "G2-item" : "G-nonadjacent";
  if (kinds.includes(REALTIME)) return `${base}-realtime`;
  if (kinds.includes(PROCESS)) return `${base}-process`;
  return base;
}
