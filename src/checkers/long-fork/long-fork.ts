/**
 * Jepsen's long-fork checker (jepsen.tests.long-fork), the anomaly parallel snapshot isolation
 * allows and snapshot isolation forbids: write transactions each write one key once; read
 * transactions read a group of keys. Two reads of one group must be ordered — one saw every write
 * the other saw — else they observed two writes in conflicting orders: a long fork.
 */
import { DeadlineWatch, type DeadlineOptions } from "../deadline.ts";
import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import type { NamedResult, OperationFold, Validity } from "../checker.ts";
import { valueKey, type ValueKey } from "../../history/values.ts";
import { foldHistory } from "../fold.ts";

export interface LongForkOptions extends DeadlineOptions {
  /** Keys are read in groups of this many consecutive integers (elle-cli's --group-size); else a group is the set of keys a read reads. */
  groupSize?: number;
}

/** A read's view of its group: value per key (null = the key's write not seen), keys ascending. */
type ReadState = [key: unknown, value: unknown][];

export interface LongFork {
  /** The two reads (operation ids) and what each saw of its group. */
  reads: [number, number];
  states: [ReadState, ReadState];
  /** The two writes seen in conflicting orders: the first read saw `keys[0]` but not `keys[1]`, the second the reverse. */
  keys: [unknown, unknown];
  /** Operation ids of those writes, or null when the history has no such write. */
  writes: [number | null, number | null];
  /** How many pairs of reads fork this way (reads that saw the same states). */
  pairs: number;
}

export interface LongForkFigures {
  groupSize: number | null;
  groupSizeFrom: "option" | "inferred" | "none";
  reads: number;
  writes: number;
  groups: number;
  /** Reads that saw no write of their group, and reads that saw all of them: they cannot fork. */
  earlyReads: number;
  lateReads: number;
  /** Pairs of reads that fork. */
  forkPairs: number;
}

export interface LongForkEvidence {
  /** One entry per pair of distinct read states that fork (up to MAX_FORKS_LISTED), with example reads. */
  forks: LongFork[];
  /** Keys written more than once (the checker assumes one write per key): their write ids. */
  multipleWrites: { key: unknown; writeIds: number[] }[];
  /** Pairs of reads that saw different non-nil values of one key (possible only with multiple writes). */
  conflicts: { reads: [number, number]; key: unknown }[];
  /** Reads whose keys are not one group of --group-size consecutive integers. */
  malformedReadIds: number[];
}

export type LongForkResult = NamedResult<"long-fork", LongForkEvidence, LongForkFigures>;

const MAX_FORKS_LISTED = 100;
const MAX_IDS_LISTED = 100;


type MicroOp = [string, unknown, unknown];

function microOps(value: unknown): MicroOp[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  for (const m of value) if (!Array.isArray(m) || m.length !== 3 || typeof m[0] !== "string") return undefined;
  return value as MicroOp[];
}

const isReadTxn = (ops: MicroOp[]): boolean => ops.every((m) => m[0] === "r");
const isWriteTxn = (ops: MicroOp[]): boolean => ops.length === 1 && ops[0]![0] === "w";

export function longForkAppliesBecause(history: History): string | undefined {
  let groupReads = 0;
  let writes = 0;
  for (const o of history.operations) {
    if (!isClientProcess(o.process)) continue;
    const ops = microOps(o.outcome === "ok" ? o.output : o.input) ?? microOps(o.input);
    if (!ops || !(isReadTxn(ops) || isWriteTxn(ops))) return undefined;
    if (isWriteTxn(ops)) writes++;
    else if (o.outcome === "ok" && ops.length > 1) groupReads++;
  }
  if (groupReads === 0) return undefined;
  return `${groupReads} read transaction(s) of several keys${writes > 0 ? ` and ${writes} single-write transaction(s)` : ""}, nothing else`;
}

export function checkLongFork(history: History, options: LongForkOptions = {}): LongForkResult {
  return foldHistory(new LongForkFold(options), history);
}

/**
 * Jepsen's read-compare: -1 when a saw everything b saw (a dominates), 1 when b dominates, 0 when
 * equal, "fork" when each saw a write the other did not, "conflict" for two non-nil values of one key.
 */
export function readCompare(a: ReadState, b: ReadState): -1 | 0 | 1 | "fork" | "conflict" {
  let result: -1 | 0 | 1 = 0;
  for (let i = 0; i < a.length; i++) {
    const va = a[i]![1];
    const vb = b[i]![1];
    if (valueKey(va) === valueKey(vb)) continue;
    if (va === null) {
      if (result === -1) return "fork";
      result = 1;
    } else if (vb === null) {
      if (result === 1) return "fork";
      result = -1;
    } else return "conflict";
  }
  return result;
}

/** Reads that saw the same state of one group: compared once, counted as many. */
interface StateClass {
  state: ReadState;
  firstReadId: number;
  count: number;
}

export class LongForkFold implements OperationFold<LongForkResult> {
  /** Group → state key → class. */
  private readonly groups = new Map<string, Map<string, StateClass>>();
  /** Written key → write ids. */
  private readonly writes = new Map<ValueKey, { key: unknown; values: Map<ValueKey, number>; ids: number[] }>();
  private readonly malformed: number[] = [];
  private readonly sizes = new Map<number, number>();
  private reads = 0;
  private writeCount = 0;
  private early = 0;
  private late = 0;
  private readonly watch: DeadlineWatch;
  private readonly comparing: DeadlineWatch;

  constructor(private readonly options: LongForkOptions) {
    this.watch = new DeadlineWatch(options.deadline, "collecting the long-fork reads and writes", "operation");
    this.comparing = new DeadlineWatch(options.deadline, "comparing the long-fork reads", "comparison");
  }

  add(o: Operation): void {
    this.watch.tick();
    if (!isClientProcess(o.process) || o.outcome === "fail") return;
    const ops = microOps(o.outcome === "ok" ? o.output : o.input);
    if (!ops) return;
    if (isWriteTxn(ops)) return this.addWrite(o.id, ops[0]!);
    if (o.outcome !== "ok" || !isReadTxn(ops)) return;
    const state: ReadState = ops.map((m) => [m[1], m[2] ?? null] as [unknown, unknown]).sort((a, b) => compareKeys(a[0], b[0]));
    const group = this.groupOf(state);
    if (group === undefined) {
      this.malformed.push(o.id);
      return;
    }
    this.reads++;
    this.sizes.set(state.length, (this.sizes.get(state.length) ?? 0) + 1);
    const seen = state.filter(([, v]) => v !== null).length;
    if (seen === 0) this.early++;
    if (seen === state.length) this.late++;
    let classes = this.groups.get(group);
    if (!classes) this.groups.set(group, (classes = new Map()));
    const key = JSON.stringify(state.map(([, v]) => v));
    const found = classes.get(key);
    if (found) found.count++;
    else classes.set(key, { state, firstReadId: o.id, count: 1 });
  }

  private addWrite(id: number, [, key, value]: MicroOp): void {
    this.writeCount++;
    const k = valueKey(key);
    let entry = this.writes.get(k);
    if (!entry) this.writes.set(k, (entry = { key, values: new Map(), ids: [] }));
    entry.ids.push(id);
    entry.values.set(valueKey(value), id);
  }

  /** The group a read belongs to, or undefined when it is not one whole group of --group-size. */
  private groupOf(state: ReadState): string | undefined {
    const keys = state.map(([k]) => k);
    if (new Set(keys.map(valueKey)).size !== keys.length) return undefined;
    const n = this.options.groupSize;
    if (n === undefined) return JSON.stringify(keys);
    const first = keys[0];
    if (keys.length !== n || !Number.isInteger(first)) return undefined;
    const start = (first as number) - ((((first as number) % n) + n) % n);
    return keys.every((k, i) => k === start + i) ? String(start) : undefined;
  }

  private writeOf(key: unknown, value: unknown): number | null {
    return this.writes.get(valueKey(key))?.values.get(valueKey(value)) ?? null;
  }

  finish(): LongForkResult {
    const forks: LongFork[] = [];
    const conflicts: LongForkEvidence["conflicts"] = [];
    let forkPairs = 0;
    for (const classes of this.groups.values()) {
      const list = [...classes.values()].sort((a, b) => a.firstReadId - b.firstReadId);
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          this.comparing.tick();
          const a = list[i]!;
          const b = list[j]!;
          const order = readCompare(a.state, b.state);
          if (order === "conflict") {
            if (conflicts.length < MAX_IDS_LISTED) conflicts.push({ reads: [a.firstReadId, b.firstReadId], key: a.state.find(([, v], k) => v !== null && b.state[k]![1] !== null && valueKey(v) !== valueKey(b.state[k]![1]))![0] });
          } else if (order === "fork") {
            forkPairs += a.count * b.count;
            if (forks.length < MAX_FORKS_LISTED) forks.push(this.fork(a, b));
          }
        }
      }
    }
    forks.sort((x, y) => x.reads[0] - y.reads[0] || x.reads[1] - y.reads[1]);
    const multipleWrites = [...this.writes.values()].filter((w) => w.ids.length > 1).map((w) => ({ key: w.key, writeIds: w.ids.sort((a, b) => a - b) }));
    const mostCommonSize = [...this.sizes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
    const stats: LongForkFigures = {
      groupSize: this.options.groupSize ?? mostCommonSize ?? null,
      groupSizeFrom: this.options.groupSize !== undefined ? "option" : mostCommonSize !== undefined ? "inferred" : "none",
      reads: this.reads,
      writes: this.writeCount,
      groups: this.groups.size,
      earlyReads: this.early,
      lateReads: this.late,
      forkPairs,
    };
    const malformedReadIds = this.malformed.sort((a, b) => a - b);
    const evidence: LongForkEvidence = { forks, multipleWrites, conflicts, malformedReadIds: malformedReadIds.slice(0, MAX_IDS_LISTED) };
    const groupText = stats.groupSizeFrom === "option" ? `groups of ${stats.groupSize} keys (--group-size)` : stats.groupSize === null ? "no group" : `groups of ${stats.groupSize} keys (inferred from the reads)`;
    const doubts = [
      multipleWrites.length > 0 ? `${multipleWrites.length} key(s) written more than once` : "",
      conflicts.length > 0 ? `${conflicts.length} pair(s) of reads saw different values of one key` : "",
      malformedReadIds.length > 0 ? `${malformedReadIds.length} read(s) not of one whole group` : "",
    ].filter(Boolean);
    let valid: Validity;
    let summary: string;
    if (forkPairs > 0) {
      valid = false;
      const f = forks[0]!;
      summary = `${forkPairs} pair(s) of reads fork: e.g. read ${f.reads[0]} saw the write of ${JSON.stringify(f.keys[0])} but not of ${JSON.stringify(f.keys[1])}, read ${f.reads[1]} the reverse`;
    } else if (this.reads < 2) {
      valid = "unknown";
      summary = `${this.reads} read(s) of a group: no two reads to compare`;
    } else if (doubts.length > 0) {
      valid = "unknown";
      summary = `No long fork among ${this.reads} reads, but ${doubts.join(", ")}: the checker's assumptions do not hold`;
    } else {
      valid = true;
      summary = `The ${this.reads} reads of each group see its writes in one order: no long fork`;
    }
    const result: LongForkResult = { checker: "long-fork", valid, summary: `${summary} (Jepsen's long-fork checker; ${groupText}).`, evidence, stats };
    if (valid === false) result.focus = [...new Set(forks.slice(0, 10).flatMap((f) => [...f.reads, ...f.writes.filter((w): w is number => w !== null)]))].sort((a, b) => a - b);
    return result;
  }

  private fork(a: StateClass, b: StateClass): LongFork {
    const aheadA = a.state.find(([, v], i) => v !== null && b.state[i]![1] === null)!;
    const aheadB = b.state.find(([, v], i) => v !== null && a.state[i]![1] === null)!;
    return {
      reads: [a.firstReadId, b.firstReadId],
      states: [a.state, b.state],
      keys: [aheadA[0], aheadB[0]],
      writes: [this.writeOf(aheadA[0], aheadA[1]), this.writeOf(aheadB[0], aheadB[1])],
      pairs: a.count * b.count,
    };
  }
}

/** Numbers ascending, then anything else by its JSON. */
function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number" || typeof b === "number") return typeof a === "number" ? -1 : 1;
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
