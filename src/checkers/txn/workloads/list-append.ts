import { DeadlineWatch, type Deadline } from "../../deadline.ts";
import type { CycleEdge, DirectAnomalyData } from "../anomaly.ts";
import { RW, WR, WW, type EdgeList } from "../graph.ts";
import { isExternalReadAt, OK, readValue, txnAt, WRITE_MOP, type TxnTable } from "../table.ts";
import { explainRead, inferencesOn, type TxnWorkload, type VersionOrder } from "../workload.ts";
import { liveWriterOfCode, writeOfCode, type WriteIndex } from "../writes.ts";

/** The order in which a key's versions were installed, as far as the reads reveal it (values as codes). */
interface KeyOrder {
  key: number;
  /** The longest read of the key (the first such, as a micro-op): every other read must be a prefix of it. */
  read: number;
  txn: number;
  elements: Int32Array;
  /** Element → its first position in `elements`. */
  position: Map<number, number>;
  /** Whether an element repeats (then its first position is not always where a read of it ends). */
  repeats: boolean;
  /** The live writer of each element (-1: none), and of each of `later`. */
  writers: Int32Array;
  laterWriters: Int32Array;
  /**
   * Committed appends no read shows. Reads show whole prefixes, so each of these was appended
   * after the last element of `elements` (their order among themselves is unknown).
   */
  later: number[];
}

/** The keys' orders: by key id, and the keys in the order of their first committed read (which orders anomalies and edges). */
interface KeyOrders {
  byKey: (KeyOrder | undefined)[];
  inOrder: KeyOrder[];
}

/** Elle's list-append: `["append", k, v]` writes, `["r", k, [v1 v2 …]]` reads of the whole list. */
export const listAppend: TxnWorkload = {
  name: "list-append",
  write: "append",
  marks: (m) => m[0] === "append" || (m[0] === "r" && Array.isArray(m[2])),
  readState: (value) => (Array.isArray(value) ? value : []),
  ownWrite(state, value) {
    state.since.push(value);
  },
  asRead: (state) => state,
  orderVersions(table, writes, inference, deadline) {
    const ignored = inferencesOn(inference);
    const { keys, anomalies } = longestReads(table, deadline);
    anomalies.push(...dirtyUpdates(keys, writes));
    let unread = 0;
    for (const known of keys.inOrder) unread += known.later.length;
    const count = keys.inOrder.length;
    return {
      anomalies,
      inferred: `list-append: the version order of each of ${count} key${count === 1 ? "" : "s"} is its longest committed read; every other read must be a prefix of it; ${unread} committed append${unread === 1 ? "" : "s"} no read shows came after the longest read of ${unread === 1 ? "its key (whose last element's writer precedes it, and every read of the whole list anti-depends on it)" : "their key (whose last element's writer precedes them, and every read of the whole list anti-depends on them)"}; unobserved indeterminate appends stay unordered${ignored.length > 0 ? `; ${ignored.join(", ")} not used: as in Elle, list-append orders versions from the reads alone` : ""}`,
      addDependencies: (edges) => addDependencies(edges, keys, table, writes, new DeadlineWatch(deadline, "adding the data dependency edges", "transaction")),
      explain: (kind, a, b) => (kind === WW ? explainWw(keys, table, writes, a, b) : kind === WR ? explainRead("append", writes, txnAt(table, a), txnAt(table, b)) : kind === RW ? explainRw(keys, table, writes, a, b) : undefined),
    } satisfies VersionOrder;
  },
};

/** A read's elements (codes); a read whose value is not a list observed nothing. */
function listOf(table: TxnTable, m: number): Int32Array {
  const b = table.mopB[m]!;
  return b < 0 ? EMPTY : table.elements.subarray(table.mopA[m]!, b);
}

const EMPTY = new Int32Array(0);

/** Per key, the longest read of a committed txn; reads that disagree with it are anomalies. */
function longestReads(table: TxnTable, deadline: Deadline | undefined): { keys: KeyOrders; anomalies: DirectAnomalyData[] } {
  const { mopStart, mopF, mopKey, mopA, mopB } = table;
  const keys: KeyOrders = { byKey: new Array(table.keys.size), inOrder: [] };
  const reading = new DeadlineWatch(deadline, "ordering each key's versions", "transaction");
  for (let t = 0; t < table.size; t++) {
    reading.tick();
    if (table.outcome[t] !== OK) continue;
    for (let m = mopStart[t]!; m < mopStart[t + 1]!; m++) {
      if (mopF[m] === WRITE_MOP) continue;
      const key = mopKey[m]!;
      const length = mopB[m]! < 0 ? 0 : mopB[m]! - mopA[m]!;
      const best = keys.byKey[key];
      if (!best) {
        const known: KeyOrder = { key, read: m, txn: t, elements: EMPTY, position: new Map(), repeats: false, writers: EMPTY, laterWriters: EMPTY, later: [] };
        keys.byKey[key] = known;
        keys.inOrder.push(known);
      } else if (length > best.elements.length) {
        best.read = m;
        best.txn = t;
      } else continue;
      keys.byKey[key]!.elements = listOf(table, m);
    }
  }
  const anomalies: DirectAnomalyData[] = [];
  for (const known of keys.inOrder) {
    const { elements, position } = known;
    for (let i = 0; i < elements.length; i++) if (!position.has(elements[i]!)) position.set(elements[i]!, i);
    known.repeats = position.size < elements.length;
    // Every other read is checked to be a prefix of this one, so it can repeat an element only if this one does.
    if (known.repeats) anomalies.push({ type: "duplicate-elements", ops: [table.opId[known.txn]!], key: keySlot(table, known.key), read: listValue(table, known.read) });
  }
  const incompatibleKeys = new Set<number>();
  const checking = new DeadlineWatch(deadline, "checking every read against its key's order", "transaction");
  for (let t = 0; t < table.size; t++) {
    checking.tick();
    if (table.outcome[t] !== OK) continue;
    for (let m = mopStart[t]!; m < mopStart[t + 1]!; m++) {
      const key = mopKey[m]!;
      const known = keys.byKey[key];
      if (mopF[m] === WRITE_MOP) {
        if (known && !known.position.has(mopA[m]!)) known.later.push(mopA[m]!);
        continue;
      }
      if (incompatibleKeys.has(key) || isPrefix(table, m, known!.elements)) continue;
      incompatibleKeys.add(key);
      const elements = listOf(table, m);
      if (new Set(elements).size < elements.length) anomalies.push({ type: "duplicate-elements", ops: [table.opId[t]!], key: keySlot(table, key), read: listValue(table, m) });
      anomalies.push({ type: "incompatible-order", ops: [table.opId[known!.txn]!, table.opId[t]!], key: keySlot(table, key), read: listValue(table, m), longest: listValue(table, known!.read) });
    }
  }
  return { keys, anomalies };
}

const keySlot = (table: TxnTable, key: number): DirectAnomalyData["key"] => table.keys.slots[key]!;

/** A read's elements as the history wrote them (a read whose value is not a list: none). */
function listValue(table: TxnTable, m: number): unknown[] {
  return table.mopB[m]! < 0 ? [] : (readValue(table, m) as unknown[]);
}

/** Dirty update: in a key's version order, a committed or indeterminate append follows an aborted one. */
function dirtyUpdates(keys: KeyOrders, writes: WriteIndex): DirectAnomalyData[] {
  const found: DirectAnomalyData[] = [];
  const { table } = writes;
  for (const { key, elements } of keys.inOrder) {
    if (!writes.failedKeys.has(key)) continue;
    const aborted = elements.findIndex((e) => writeOfCode(writes, key, e)?.failed === true);
    if (aborted < 0) continue;
    const later = elements.subarray(aborted + 1).find((e) => {
      const w = writeOfCode(writes, key, e);
      return w !== undefined && !w.failed;
    });
    if (later === undefined) continue;
    const failedWriter = writeOfCode(writes, key, elements[aborted]!)!.txn;
    const writer = writeOfCode(writes, key, later)!.txn;
    found.push({ type: "dirty-update", ops: [table.opId[failedWriter]!, table.opId[writer]!], key: keySlot(table, key), aborted: table.values.value(elements[aborted]!), value: table.values.value(later) });
  }
  return found;
}

function addDependencies(edges: EdgeList, keys: KeyOrders, table: TxnTable, writes: WriteIndex, watch: DeadlineWatch): void {
  for (const known of keys.inOrder) {
    const { key, elements, later } = known;
    const writers = (known.writers = elements.map((e) => liveWriterOfCode(writes, key, e)));
    const laterWriters = (known.laterWriters = Int32Array.from(later, (v) => liveWriterOfCode(writes, key, v)));
    let previous = elements.length > 0 ? writers[0]! : -1;
    for (let i = 1; i < elements.length; i++) {
      const next = writers[i]!;
      if (previous >= 0 && next >= 0) edges.add(previous, next, WW);
      previous = next;
    }
    if (previous < 0) continue;
    for (const writer of laterWriters) edges.add(previous, writer, WW);
  }
  const { mopStart } = table;
  for (let t = 0; t < table.size; t++) {
    watch.tick();
    if (table.outcome[t] !== OK) continue;
    for (let m = mopStart[t]!; m < mopStart[t + 1]!; m++) {
      if (!isExternalReadAt(table, m)) continue;
      const key = table.mopKey[m]!;
      const known = keys.byKey[key];
      if (!known) continue;
      const length = table.mopB[m]! < 0 ? 0 : table.mopB[m]! - table.mopA[m]!;
      const { elements, writers } = known;
      if (length > elements.length) continue;
      if (length > 0) {
        // The read must end where its last element first stands in the key's order.
        const last = table.elements[table.mopB[m]! - 1]!;
        if (elements[length - 1] !== last || (known.repeats && known.position.get(last) !== length - 1)) continue;
        if (writers[length - 1]! >= 0) edges.add(writers[length - 1]!, t, WR);
      }
      if (length < elements.length) {
        if (writers[length]! >= 0) edges.add(t, writers[length]!, RW);
      } else {
        for (const writer of known.laterWriters) edges.add(t, writer, RW);
      }
    }
  }
}

/** a's version of some key was directly followed by b's (or b's append, in no read, came after a's last one). */
function explainWw(keys: KeyOrders, table: TxnTable, writes: WriteIndex, a: number, b: number): CycleEdge | undefined {
  const { values } = table;
  for (let m = table.mopStart[b]!; m < table.mopStart[b + 1]!; m++) {
    if (table.mopF[m] !== WRITE_MOP) continue;
    const key = table.mopKey[m]!;
    const known = keys.byKey[key];
    if (!known) continue;
    const value = table.mopA[m]!;
    const { elements } = known;
    if (!known.position.has(value)) {
      const last = elements[elements.length - 1];
      if (known.later.includes(value) && last !== undefined && liveWriterOfCode(writes, key, last) === a) return { kind: "ww", key: keySlot(table, key), write: "append", previous: values.value(last), value: values.value(value), because: { by: "unread" } };
      continue;
    }
    // Scanned, not looked up: a list that repeats an element has it at more than one position.
    for (let at = 1; at < elements.length; at++) {
      if (elements[at] !== value) continue;
      const before = elements[at - 1]!;
      if (liveWriterOfCode(writes, key, before) === a) return { kind: "ww", key: keySlot(table, key), write: "append", previous: values.value(before), value: values.value(value), because: { by: "list" } };
    }
  }
  return undefined;
}

/** a read a version that b then overwrote: a did not observe b's append. */
function explainRw(keys: KeyOrders, table: TxnTable, writes: WriteIndex, a: number, b: number): CycleEdge | undefined {
  if (table.outcome[a] !== OK) return undefined;
  const { values } = table;
  for (let m = table.mopStart[a]!; m < table.mopStart[a + 1]!; m++) {
    if (!isExternalReadAt(table, m)) continue;
    const key = table.mopKey[m]!;
    const known = keys.byKey[key];
    if (!known) continue;
    const length = listOf(table, m).length;
    const next = known.elements[length];
    if (next !== undefined && liveWriterOfCode(writes, key, next) === b) return { kind: "rw", key: keySlot(table, key), write: "append", read: listValue(table, m), value: values.value(next), because: { by: "list" } };
    const unread = length === known.elements.length ? known.later.find((v) => liveWriterOfCode(writes, key, v) === b) : undefined;
    if (unread !== undefined) return { kind: "rw", key: keySlot(table, key), write: "append", read: listValue(table, m), value: values.value(unread), because: { by: "unread" } };
  }
  return undefined;
}

/** Whether read m's elements are a prefix of `b`. */
function isPrefix(table: TxnTable, m: number, b: Int32Array): boolean {
  const end = table.mopB[m]!;
  if (end < 0) return true;
  const start = table.mopA[m]!;
  if (end - start > b.length) return false;
  for (let i = start; i < end; i++) if (table.elements[i] !== b[i - start]) return false;
  return true;
}
