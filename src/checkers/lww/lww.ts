import { DeadlineWatch, type DeadlineOptions } from "../deadline.ts";
import { extent } from "d3-array";
import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import type { NamedResult, Validity } from "../checker.ts";
import { plural, valueKey } from "../../history/values.ts";
import { corruptRowProbability, expectedVisibleTies, timestampResolution } from "./lww-model.ts";

/**
 * Last-write-wins ties: writes of whole rows of cells carrying the timestamp the store orders them
 * by (`ts`, microseconds), and reads of rows. Equal timestamps on a cell are broken by value
 * (Cassandra: the greater value wins), so two writes of a row in the same tick can leave a row
 * made of both (the 2013 test: a = id, b = −id).
 */
export interface LwwTie {
  row: unknown;
  column: string;
  ts: number;
  writeIds: number[];
  values: unknown[];
  /** The value Cassandra's rule keeps (the greatest), and its write. */
  winner: unknown;
  winnerWriteId: number;
  /** Reads after all tied writes completed and before the cell was written again, by what they saw. */
  agreeingReadIds: number[];
  disagreeingReadIds: number[];
  /** Nanoseconds: invocation of the first tied write. */
  time: number | undefined;
}

/** A read of a row no single write explains, though each cell came from some write. */
export interface MixedRead {
  readId: number;
  row: unknown;
  cells: Record<string, unknown>;
  /** Per column, the writes that wrote the value read. */
  sources: Record<string, number[]>;
  time: number | undefined;
}

/** A cell value no write wrote. */
export interface UnexplainedCell {
  readId: number;
  row: unknown;
  column: string;
  value: unknown;
}

export interface LwwExpectation {
  /** Seconds per timestamp tick, inferred from the timestamps (the largest power of ten dividing them all). */
  resolution: number;
  /** Span of the history, seconds. */
  seconds: number;
  /** Expected visible ties over the history (Poisson at each cell's observed write and read rates). */
  expectedVisibleTies: number;
  /** Mean over rows read of P(row mixed) at each row's observed write count and mean gap. */
  expectedCorruptFraction: number;
  /** Observed ÷ expected; null when the expectation is 0. */
  tiesTimesExpected: number | null;
  corruptTimesExpected: number | null;
}

export interface LwwFigures {
  /** ties: per cell; rowTies: distinct (row, ts) pairs among them (two whole-row writes tied = 2 ties, 1 row tie). */
  counts: { writes: number; reads: number; cells: number; ties: number; rowTies: number; visibleTies: number; disagreeingReads: number; rowsRead: number; corruptRows: number; mixedReads: number; unexplained: number };
  /** corruptRows / rowsRead (the talk's "1 in 250"). */
  rates: { corruptRows: number | null };
  /** Absent when the history has no times (rates cannot be observed). */
  expected?: LwwExpectation;
}

export interface LwwEvidence {
  ties: LwwTie[];
  mixed: MixedRead[];
  unexplained: UnexplainedCell[];
}

interface Write {
  op: Operation;
  row: unknown;
  rowKey: string;
  cells: Record<string, unknown>;
  ts: number;
}

interface Read {
  op: Operation;
  row: unknown;
  rowKey: string;
  cells: Record<string, unknown>;
}

const MAX_KEPT = 1000;

export type LwwResult = NamedResult<"lww", LwwEvidence, LwwFigures>;

export function checkLww(history: History, options: DeadlineOptions = {}): LwwResult {
  const collecting = new DeadlineWatch(options.deadline, "collecting the lww writes and reads", "operation");
  const writes: Write[] = [];
  const reads: Read[] = [];
  for (const o of history.operations) {
    collecting.tick();
    if (!isClientProcess(o.process)) continue;
    const write = o.f === "write" && o.outcome !== "fail" ? asWrite(o) : undefined;
    if (write) writes.push(write);
    const read = o.f === "read" && o.outcome === "ok" ? asRead(o) : undefined;
    if (read) reads.push(read);
  }
  const cellWrites = groupBy(writes.flatMap((w) => Object.keys(w.cells).map((column) => ({ w, column }))), ({ w, column }) => `${w.rowKey}\u0000${column}`);
  const ties = findTies(cellWrites, reads);
  const { mixed, unexplained } = explainReads(writes, reads, new DeadlineWatch(options.deadline, "tracing the lww reads to their writes", "read"));

  const rowsRead = new Set(reads.map((r) => r.rowKey));
  const corruptRows = new Set(mixed.map((m) => valueKey(m.row)));
  const visibleTies = ties.filter((t) => t.agreeingReadIds.length + t.disagreeingReadIds.length > 0).length;
  const disagreeing = new Set(ties.flatMap((t) => t.disagreeingReadIds));
  const figures: LwwFigures = {
    counts: {
      writes: writes.length,
      reads: reads.length,
      cells: cellWrites.size,
      ties: ties.length,
      rowTies: new Set(ties.map((t) => `${valueKey(t.row)}\u0000${t.ts}`)).size,
      visibleTies,
      disagreeingReads: disagreeing.size,
      rowsRead: rowsRead.size,
      corruptRows: corruptRows.size,
      mixedReads: mixed.length,
      unexplained: unexplained.length,
    },
    rates: { corruptRows: rowsRead.size > 0 ? corruptRows.size / rowsRead.size : null },
  };
  const expected = expectation(writes, reads, cellWrites, rowsRead, figures);
  if (expected) figures.expected = expected;

  const c = figures.counts;
  const parts = [`${plural(c.ties, "tie")} (equal-timestamp writes to a cell from different writers${c.ties > 0 ? `, at ${plural(c.rowTies, "row timestamp")}` : ""}), ${c.visibleTies} seen by reads`];
  if (c.disagreeingReads > 0) parts.push(`${plural(c.disagreeingReads, "read")} disagreeing with the greater-value rule`);
  parts.push(`${c.corruptRows} of ${c.rowsRead} rows read mixed from different writes${c.corruptRows > 0 ? ` (1 in ${Math.round(c.rowsRead / c.corruptRows)})` : ""}`);
  if (c.unexplained > 0) parts.push(`${c.unexplained} cell values no write wrote`);
  if (expected) parts.push(expectationSentence(expected, figures));
  let valid: Validity;
  if (c.reads === 0) {
    valid = "unknown";
    parts.unshift("No row was read, so only ties can be counted");
  } else valid = c.corruptRows === 0 && c.disagreeingReads === 0 && c.unexplained === 0;
  const result: LwwResult = {
    checker: "lww",
    valid,
    summary: `${parts.join("; ")}.`,
    evidence: { ties: ties.slice(0, MAX_KEPT), mixed: mixed.slice(0, MAX_KEPT), unexplained: unexplained.slice(0, MAX_KEPT) },
    stats: figures,
  };
  if (valid === false) {
    const fromMixed = mixed.slice(0, 5).flatMap((m) => [m.readId, ...Object.values(m.sources).flat()]);
    const fromTies = ties.filter((t) => t.disagreeingReadIds.length > 0).slice(0, 5).flatMap((t) => [...t.writeIds, ...t.disagreeingReadIds]);
    result.focus = [...new Set([...fromMixed, ...fromTies, ...unexplained.slice(0, 5).map((u) => u.readId)])];
  }
  return result;
}

/** A write's `{row, cells, ts}` (ts in the value, or beside it on the invocation record). */
export function asWrite(op: Operation): Write | undefined {
  const v = op.input;
  if (typeof v !== "object" || v === null || !("cells" in v) || !("row" in v)) return undefined;
  const { row, cells } = v as { row: unknown; cells: unknown };
  const ts = "ts" in v ? (v as { ts: unknown }).ts : op.invoke.ts;
  if (typeof cells !== "object" || cells === null || typeof ts !== "number") return undefined;
  return { op, row, rowKey: String(valueKey(row)), cells: cells as Record<string, unknown>, ts };
}

function asRead(op: Operation): Read | undefined {
  const v = op.output;
  if (typeof v !== "object" || v === null || !("cells" in v)) return undefined;
  const { cells } = v as { cells: unknown };
  const row = "row" in v ? (v as { row: unknown }).row : (op.input as { row?: unknown } | null)?.row;
  if (typeof cells !== "object" || cells === null) return undefined;
  return { op, row, rowKey: String(valueKey(row)), cells: cells as Record<string, unknown> };
}

/** Cassandra breaks timestamp ties by value: the greater wins (numbers by number, else by their text). */
export function cassandraWinner(values: readonly unknown[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (compareValues(values[i], values[best]) > 0) best = i;
  return best;
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = typeof a === "string" ? a : valueKey(a);
  const y = typeof b === "string" ? b : valueKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

type CellWrites = Map<string, { w: Write; column: string }[]>;

function findTies(cellWrites: CellWrites, reads: readonly Read[]): LwwTie[] {
  const readsByRow = groupBy(reads, (r) => r.rowKey);
  const ties: LwwTie[] = [];
  for (const entries of cellWrites.values()) {
    const column = entries[0]!.column;
    for (const group of groupBy(entries, (e) => e.w.ts).values()) {
      const tied = group.map((e) => e.w);
      const values = tied.map((w) => w.cells[column]);
      if (new Set(tied.map((w) => w.op.process)).size < 2 || new Set(values.map(valueKey)).size < 2) continue;
      const win = cassandraWinner(values);
      const settled = Math.max(...tied.map((w) => w.op.ret));
      // The cell's next write in real time ends the window in which reads must show the winner.
      const next = Math.min(...entries.filter((e) => !tied.includes(e.w) && e.w.op.call > settled).map((e) => e.w.op.call));
      const agreeing: number[] = [];
      const disagreeing: number[] = [];
      for (const r of readsByRow.get(tied[0]!.rowKey) ?? []) {
        if (r.op.call <= settled || r.op.ret >= next || !(column in r.cells)) continue;
        const seen = valueKey(r.cells[column]);
        if (seen === valueKey(values[win])) agreeing.push(r.op.id);
        else if (values.some((v) => valueKey(v) === seen)) disagreeing.push(r.op.id);
      }
      ties.push({
        row: tied[0]!.row,
        column,
        ts: tied[0]!.ts,
        writeIds: tied.map((w) => w.op.id),
        values,
        winner: values[win],
        winnerWriteId: tied[win]!.op.id,
        agreeingReadIds: agreeing,
        disagreeingReadIds: disagreeing,
        time: tied[0]!.op.callTime,
      });
    }
  }
  return ties.sort((a, b) => a.writeIds[0]! - b.writeIds[0]!);
}

/** Which writes each read could have come from: one write for all its cells, or a mix. */
function explainReads(writes: readonly Write[], reads: readonly Read[], watch: DeadlineWatch): { mixed: MixedRead[]; unexplained: UnexplainedCell[] } {
  const sources = groupBy(
    writes.flatMap((w) => Object.entries(w.cells).map(([column, value]) => ({ w, key: `${w.rowKey}\u0000${column}\u0000${valueKey(value)}` }))),
    (e) => e.key,
  );
  const mixed: MixedRead[] = [];
  const unexplained: UnexplainedCell[] = [];
  for (const r of reads) {
    watch.tick();
    const perColumn: Record<string, number[]> = {};
    let explained = true;
    for (const [column, value] of Object.entries(r.cells)) {
      const ids = (sources.get(`${r.rowKey}\u0000${column}\u0000${valueKey(value)}`) ?? []).map((e) => e.w.op.id);
      if (ids.length === 0) {
        if (value !== null && value !== undefined) unexplained.push({ readId: r.op.id, row: r.row, column, value });
        explained = false;
      }
      perColumn[column] = ids;
    }
    const lists = Object.values(perColumn);
    if (!explained || lists.length < 2) continue;
    const common = lists.reduce((acc, ids) => acc.filter((id) => ids.includes(id)));
    if (common.length === 0) mixed.push({ readId: r.op.id, row: r.row, cells: r.cells, sources: perColumn, time: r.op.retTime });
  }
  return { mixed, unexplained };
}

function expectation(writes: readonly Write[], reads: readonly Read[], cellWrites: CellWrites, rowsRead: ReadonlySet<string>, figures: LwwFigures): LwwExpectation | undefined {
  const [first, last] = extent([...writes, ...reads].flatMap((x) => [x.op.callTime, x.op.retTime]).filter((t): t is number => t !== undefined));
  if (first === undefined || last === undefined || writes.length === 0) return undefined;
  const seconds = (last - first) / 1e9;
  if (seconds <= 0) return undefined;
  const resolution = timestampResolution(writes.map((w) => w.ts));
  const readsPerRow = groupBy(reads, (r) => r.rowKey);
  let visible = 0;
  for (const entries of cellWrites.values()) {
    const readRate = (readsPerRow.get(entries[0]!.w.rowKey)?.length ?? 0) / seconds;
    visible += expectedVisibleTies(entries.length / seconds, readRate, resolution, seconds);
  }
  const writesPerRow = groupBy(writes, (w) => w.rowKey);
  let corrupt = 0;
  for (const rowKey of rowsRead) {
    const ws = writesPerRow.get(rowKey) ?? [];
    const calls = ws.map((w) => w.op.callTime).filter((t): t is number => t !== undefined);
    if (calls.length < 2) continue;
    const [first, last] = extent(calls) as [number, number];
    const gap = (last - first) / 1e9 / (calls.length - 1);
    corrupt += corruptRowProbability(calls.length, gap, resolution);
  }
  const expectedCorruptFraction = rowsRead.size > 0 ? corrupt / rowsRead.size : 0;
  const observedCorrupt = figures.rates.corruptRows ?? 0;
  return {
    resolution,
    seconds,
    expectedVisibleTies: visible,
    expectedCorruptFraction,
    tiesTimesExpected: visible > 0 ? figures.counts.visibleTies / visible : null,
    corruptTimesExpected: expectedCorruptFraction > 0 ? observedCorrupt / expectedCorruptFraction : null,
  };
}

function expectationSentence(e: LwwExpectation, f: LwwFigures): string {
  const times = (x: number | null): string => (x === null || x === 0 ? "" : x >= 1.5 ? `, ${x.toPrecision(2)}× the expectation` : x <= 2 / 3 ? ", below the expectation" : ", about as expected");
  return `by chance (Poisson at the observed rates, ${tick(e.resolution)} timestamps) expect ${e.expectedVisibleTies.toPrecision(2)} visible ties (observed ${f.counts.visibleTies}${times(e.tiesTimesExpected)}) and P(row mixed) ${e.expectedCorruptFraction.toPrecision(2)} (observed ${(f.rates.corruptRows ?? 0).toPrecision(2)}${times(e.corruptTimesExpected)})`;
}

/** "1 µs", "1 ms", "10 ms", "1 s". */
function tick(seconds: number): string {
  if (seconds < 1e-3) return `${Math.round(seconds * 1e6)} µs`;
  if (seconds < 1) return `${Math.round(seconds * 1e3)} ms`;
  return `${seconds} s`;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
