import { isCycle, type AnomalyData, type AnomalyType, type CycleBase } from "./anomaly.ts";

/** Berenson et al.'s phenomena, read off the Adya anomalies found. */
export interface AnsiRow {
  phenomenon: "P0" | "P1" | "P2" | "P3" | "P4";
  name: string;
  status: "observed" | "not observed" | "not checkable" | "unknown";
  /** Which anomalies it rests on, or why it cannot be judged. */
  basis: string;
  /** The anomalies behind an observation: their types and the operation ids involved. */
  cases: { type: AnomalyType; ops: number[] }[];
}

const cycleOf =
  (...bases: CycleBase[]) =>
  (a: AnomalyData): boolean =>
    isCycle(a) && bases.includes(a.base);

/** A cycle with an anti-dependency whose every data edge concerns one key: a fuzzy (non-repeatable) read. */
function isFuzzyRead(a: AnomalyData): boolean {
  if (!isCycle(a) || !cycleOf("G-single", "G2-item", "G-nonadjacent")(a)) return false;
  const keys = new Set(a.cycle.flatMap((s) => (s.key !== undefined ? [s.key] : [])));
  return keys.size === 1;
}

const ROWS: readonly { phenomenon: AnsiRow["phenomenon"]; name: string; basis: string; matches: (a: AnomalyData) => boolean; cycles: boolean }[] = [
  { phenomenon: "P0", name: "dirty write", basis: "G0 (a cycle of write dependencies)", matches: cycleOf("G0"), cycles: true },
  { phenomenon: "P1", name: "dirty read", basis: "G1a aborted read, G1b intermediate read, G1c circular information flow", matches: (a) => a.type === "G1a" || a.type === "G1b" || cycleOf("G1c")(a), cycles: true },
  { phenomenon: "P2", name: "fuzzy read", basis: "G-single / G2-item cycles whose edges all concern one key", matches: isFuzzyRead, cycles: true },
  { phenomenon: "P4", name: "lost update", basis: "two committed txns read the same version of a key and both wrote it", matches: (a) => a.type === "lost-update", cycles: false },
];

const MAX_CASES = 10;

/** `complete` is false when a cycle search was cut short: then an unobserved cycle phenomenon is unknown, not absent. */
export function ansiTable(anomalies: readonly AnomalyData[], complete: boolean): AnsiRow[] {
  const rows: AnsiRow[] = ROWS.map((row) => {
    const hits = anomalies.filter(row.matches);
    const status = hits.length > 0 ? "observed" : row.cycles && !complete ? "unknown" : "not observed";
    return { phenomenon: row.phenomenon, name: row.name, status, basis: row.basis, cases: hits.slice(0, MAX_CASES).map((a) => ({ type: a.type, ops: a.ops })) };
  });
  rows.splice(3, 0, {
    phenomenon: "P3",
    name: "phantom",
    status: "not checkable",
    basis: "phantoms concern predicate reads (which rows match a condition); key-value micro-ops cannot express predicates",
    cases: [],
  });
  return rows;
}
