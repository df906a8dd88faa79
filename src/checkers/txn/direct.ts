import { DeadlineWatch, type Deadline } from "../deadline.ts";
import type { DirectAnomalyData } from "./anomaly.ts";
import { isRead, isWrite, slot, type Slot, type Txn } from "./facts.ts";
import { isExternalReadAt, lastObservedCode, NONE, observedCodes, OK, readValue, txnAt, WRITE_MOP, type TxnTable } from "./table.ts";
import { observed, type OwnState, type TxnWorkload } from "./workload.ts";
import { isIntermediateCode, writeOfCode, type WriteIndex } from "./writes.ts";

/**
 * Anomalies visible without a dependency graph: aborted and intermediate reads, a txn that
 * contradicts itself or reads its own future, lost updates.
 */
export function findDirectAnomalies(table: TxnTable, writes: WriteIndex, workload: TxnWorkload, deadline?: Deadline): DirectAnomalyData[] {
  const anomalies: DirectAnomalyData[] = [];
  const updates: UpdateGroups = new Map();
  const watch = new DeadlineWatch(deadline, "looking for aborted, intermediate, internal reads and lost updates", "transaction");
  for (let t = 0; t < table.size; t++) {
    watch.tick();
    if (table.outcome[t] !== OK) continue;
    if (writes.failedKeys.size > 0) abortedReads(table, t, writes, anomalies);
    intermediateReads(table, t, writes, anomalies);
    if (mayContradictItself(table, t)) {
      const txn = txnAt(table, t);
      anomalies.push(...internal(txn, workload), ...futureReads(txn));
    }
    groupUpdates(table, t, updates);
  }
  anomalies.push(...lostUpdates(table, updates, workload));
  return anomalies;
}

/**
 * Only a txn that reads a key it already touched can contradict itself, and only one that later
 * writes a value it read can read its own future: the others need no closer look.
 */
function mayContradictItself(table: TxnTable, t: number): boolean {
  const { mopStart, mopKey, mopF, mopA } = table;
  const end = mopStart[t + 1]!;
  for (let i = mopStart[t]!; i < end; i++) {
    if (mopF[i] === WRITE_MOP) continue;
    if (!isExternalReadAt(table, i)) return true;
    for (let w = i + 1; w < end; w++) if (mopF[w] === WRITE_MOP && mopKey[w] === mopKey[i] && observedCodes(table, i).includes(mopA[w]!)) return true;
  }
  return false;
}

/** The version a read ends on: a list's last element or a register's value; nil when nothing was written yet. */
function lastObservedAt(table: TxnTable, m: number): Slot {
  const last = lastObservedCode(table, m);
  return last === NONE ? null : table.values.slotOf(last);
}

/** G1a: a committed txn saw a value only a failed txn wrote (an info writer may have committed). */
function abortedReads(table: TxnTable, t: number, writes: WriteIndex, found: DirectAnomalyData[]): void {
  for (let m = table.mopStart[t]!; m < table.mopStart[t + 1]!; m++) {
    if (table.mopF[m] === WRITE_MOP) continue;
    const key = table.mopKey[m]!;
    if (!writes.failedKeys.has(key)) continue;
    for (const e of observedCodes(table, m)) {
      const w = writeOfCode(writes, key, e);
      if (!w?.failed || w.txn === t) continue;
      found.push({ type: "G1a", ops: [table.opId[w.txn]!, table.opId[t]!], key: table.keys.slots[key]!, read: readValue(table, m), value: table.values.value(e) });
      break;
    }
  }
}

/** G1b: a committed txn's read ends on a version its writer later overwrote within the same txn. */
function intermediateReads(table: TxnTable, t: number, writes: WriteIndex, found: DirectAnomalyData[]): void {
  for (let m = table.mopStart[t]!; m < table.mopStart[t + 1]!; m++) {
    if (!isExternalReadAt(table, m)) continue;
    const last = lastObservedCode(table, m);
    if (last === NONE || table.values.slotOf(last) === null) continue;
    const key = table.mopKey[m]!;
    if (!isIntermediateCode(writes, key, last)) continue;
    const w = writeOfCode(writes, key, last)!;
    if (w.txn === t) continue;
    found.push({ type: "G1b", ops: [table.opId[w.txn]!, table.opId[t]!], key: table.keys.slots[key]!, read: readValue(table, m), value: table.values.slotOf(last) });
  }
}

/** A txn's later reads must agree with its own earlier reads and writes of the key. */
function internal(txn: Txn, workload: TxnWorkload): DirectAnomalyData[] {
  const found: DirectAnomalyData[] = [];
  const state = new Map<Slot, OwnState>();
  for (const m of txn.mops) {
    const key = slot(m[1]);
    let s = state.get(key);
    if (!s) state.set(key, (s = { known: undefined, since: [] }));
    if (isWrite(m)) {
      workload.ownWrite(s, m[2]);
      continue;
    }
    const seen = workload.readState(m[2]);
    // Once the whole state is known it is exact; before that, own writes say only how the read must end.
    const exact = s.known !== undefined;
    const expected = exact ? [...s.known!, ...s.since] : s.since;
    if ((exact || expected.length > 0) && !matches(seen, expected, exact)) {
      found.push({ type: "internal", ops: [txn.op.id], key, read: m[2], expected: workload.asRead(expected), exact });
    }
    s.known = seen;
    s.since = [];
  }
  return found;
}

function matches(seen: readonly unknown[], values: readonly unknown[], exact: boolean): boolean {
  if (exact ? seen.length !== values.length : seen.length < values.length) return false;
  const offset = seen.length - values.length;
  return values.every((v, i) => slot(v) === slot(seen[offset + i]));
}

/** A read that observes a value its own txn writes only later. */
function futureReads(txn: Txn): DirectAnomalyData[] {
  const found: DirectAnomalyData[] = [];
  txn.mops.forEach((m, at) => {
    if (!isRead(m)) return;
    const key = slot(m[1]);
    const seen = observed(m[2]);
    const later = txn.mops.slice(at + 1).find((w) => isWrite(w) && slot(w[1]) === key && seen.some((e) => slot(e) === slot(w[2])));
    if (later) found.push({ type: "future-read", ops: [txn.op.id], key, read: m[2], write: later });
  });
  return found;
}

/** Key → version read → the committed txns that read it and then wrote the key (most versions have one: kept unboxed). */
type UpdateGroups = Map<number, Map<Slot, number | number[]>>;

function groupUpdates(table: TxnTable, t: number, groups: UpdateGroups): void {
  for (let m = table.mopStart[t]!; m < table.mopStart[t + 1]!; m++) {
    if (!isExternalReadAt(table, m)) continue;
    const key = table.mopKey[m]!;
    if (!writesAfter(table, t, m, key)) continue;
    const version = lastObservedAt(table, m);
    let byVersion = groups.get(key);
    if (!byVersion) groups.set(key, (byVersion = new Map()));
    const group = byVersion.get(version);
    if (group === undefined) byVersion.set(version, t);
    else if (Array.isArray(group)) group.push(t);
    else byVersion.set(version, [group, t]);
  }
}

/** P4: two committed txns read the same version of a key and both then wrote that key. */
function lostUpdates(table: TxnTable, groups: UpdateGroups, workload: TxnWorkload): DirectAnomalyData[] {
  const found: DirectAnomalyData[] = [];
  for (const [key, byVersion] of groups) {
    for (const [version, group] of byVersion) {
      if (Array.isArray(group)) found.push({ type: "lost-update", ops: group.map((t) => table.opId[t]!), key: table.keys.slots[key]!, version, write: workload.write });
    }
  }
  return found;
}

function writesAfter(table: TxnTable, t: number, at: number, key: number): boolean {
  for (let later = at + 1; later < table.mopStart[t + 1]!; later++) if (table.mopF[later] === WRITE_MOP && table.mopKey[later] === key) return true;
  return false;
}
