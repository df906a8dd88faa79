/**
 * Rows of two cells written together: write i sets a = i and b = −i, stamped with the client's
 * clock in µs. A store that resolves each cell separately by last-write-wins, breaking timestamp
 * ties by value, mixes two writes with equal timestamps into a row where a ≠ −b: the row is
 * corrupt. The truth counts corrupt rows in the reads, and the model's expected share.
 */
import type { Completed, Expectation, Guarantee } from "../truth.ts";
import type { Applied, DataWorkload, Invocation, Observer, WorkloadDefinition } from "../workload.ts";

export const ROWS = 100;

interface Cell {
  v: number;
  ts: number;
}
type Rows = Map<number, { a: Cell; b: Cell }>;

export interface RowWrite {
  row: number;
  cells: { a: number; b: number };
  ts: number;
}

function rowsWorkload(): DataWorkload<Rows> {
  let nextId = 1;
  return {
    kind: "data",
    name: "lww-rows",
    init: () => new Map(),
    clone: (s) => new Map([...s].map(([row, cells]) => [row, { a: { ...cells.a }, b: { ...cells.b } }])),
    next({ rng, clockMicros }): Invocation {
      const row = rng.int(ROWS);
      if (rng.chance(0.3)) return { f: "read", value: { row } };
      const id = nextId++;
      const write: RowWrite = { row, cells: { a: id, b: -id }, ts: clockMicros };
      return { f: "write", value: write };
    },
    isRead: (op) => op.f === "read",
    apply(state, op): Applied {
      if (op.f === "read") return { ok: true, value: readRow(state, (op.value as { row: number }).row) };
      const { row, cells, ts } = op.value as RowWrite;
      state.set(row, { a: { v: cells.a, ts }, b: { v: cells.b, ts } });
      return { ok: true, value: op.value };
    },
    merge(state, op, ts) {
      const { row, cells } = op.value as RowWrite;
      const current = state.get(row);
      if (current === undefined) {
        state.set(row, { a: { v: cells.a, ts }, b: { v: cells.b, ts } });
        return;
      }
      // each cell on its own: later timestamp wins, equal timestamps go to the larger value
      mergeCell(current.a, cells.a, ts);
      mergeCell(current.b, cells.b, ts);
    },
    finalReads: () => Array.from({ length: ROWS }, (_, row) => ({ f: "read", value: { row } })),
    observer: () => new RowsObserver(),
  };
}

function mergeCell(cell: Cell, v: number, ts: number): void {
  if (ts > cell.ts || (ts === cell.ts && v > cell.v)) {
    cell.v = v;
    cell.ts = ts;
  }
}

function readRow(state: Rows, row: number): { row: number; cells: { a: number; b: number } | null } {
  const cells = state.get(row);
  return { row, cells: cells ? { a: cells.a.v, b: cells.b.v } : null };
}

class RowsObserver implements Observer {
  private readonly writesPerRow = new Map<number, number>();
  /** "row/ts" of every write that may have happened: a second write with the same pair is a tie. */
  private readonly stamps = new Set<string>();
  private ties = 0;
  private readonly finalRows = new Map<number, boolean>();
  private corruptReads = 0;
  private firstWitness: number[] | undefined;

  invoked(): void {}

  completed(_slot: number, op: Completed): void {
    if (op.f === "write") {
      if (op.outcome === "fail") return;
      const { row, ts } = op.input as RowWrite;
      this.writesPerRow.set(row, (this.writesPerRow.get(row) ?? 0) + 1);
      const stamp = `${row}/${ts}`;
      if (this.stamps.has(stamp)) this.ties++;
      else this.stamps.add(stamp);
      return;
    }
    if (op.outcome !== "ok") return;
    const { row, cells } = op.output as ReturnType<typeof readRow>;
    const corrupt = cells !== null && cells.a !== -cells.b;
    this.finalRows.set(row, corrupt);
    if (!corrupt) return;
    this.corruptReads++;
    this.firstWitness ??= [op.invokeIndex, op.completeIndex];
  }

  findings(guarantee: Guarantee): { facts: Record<string, unknown>; expect: Expectation[] } {
    const writes = [...this.writesPerRow.values()].reduce((a, b) => a + b, 0);
    const facts = {
      rows: ROWS,
      writes,
      rowsWritten: this.writesPerRow.size,
      rowsWrittenTwiceOrMore: [...this.writesPerRow.values()].filter((n) => n >= 2).length,
      timestampTies: this.ties,
      corruptReads: this.corruptReads,
      corruptRowsAtEnd: [...this.finalRows.values()].filter(Boolean).length,
      /** With every timestamp equal, a row is corrupt exactly when two or more writes reached it. */
      modelCorruptShareIfTimestampsEqual: shareWrittenTwice(writes, ROWS),
    };
    if (this.corruptReads > 0) return { facts, expect: [{ checker: "lww", valid: false, because: `${this.corruptReads} read(s) returned a row mixing two writes (a ≠ −b)`, witness: this.firstWitness }] };
    // a tie resolved by a store that is not last-write-wins may look wrong to a checker of LWW rules
    if (guarantee.linearizable && this.ties === 0) return { facts, expect: [{ checker: "lww", valid: true, because: "rows are written atomically with distinct timestamps, so every read shows one write's cells" }] };
    return { facts, expect: [] };
  }
}

/** P(a given row receives ≥ 2 of `writes` uniform writes over `rows` rows). */
export function shareWrittenTwice(writes: number, rows: number): number {
  const p = 1 / rows;
  return 1 - (1 - p) ** writes - writes * p * (1 - p) ** (writes - 1);
}

export const lwwRows: WorkloadDefinition = {
  name: "lww-rows",
  description: "rows {a: id, b: −id} written with µs client timestamps, and reads of rows",
  create: rowsWorkload,
};
