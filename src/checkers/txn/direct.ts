import { DeadlineWatch, type Deadline } from "../deadline.ts";
import type { DirectAnomalyData } from "./anomaly.ts";
import { isExternalRead, isRead, isWrite, slot, type Slot, type Txn } from "./facts.ts";
import { observed, type OwnState, type TxnWorkload } from "./workload.ts";
import { isIntermediate, writeOf, type WriteIndex } from "./writes.ts";

/**
 * Anomalies visible without a dependency graph: aborted and intermediate reads, a txn that
 * contradicts itself or reads its own future, lost updates.
 */
export function findDirectAnomalies(txns: readonly Txn[], writes: WriteIndex, workload: TxnWorkload, deadline?: Deadline): DirectAnomalyData[] {
  const anomalies: DirectAnomalyData[] = [];
  const committed = txns.filter((t) => t.outcome === "ok");
  const watch = new DeadlineWatch(deadline, "looking for aborted, intermediate and internal reads", "transaction");
  for (const txn of committed) {
    watch.tick();
    if (writes.failedKeys.size > 0) abortedReads(txn, writes, txns, anomalies);
    intermediateReads(txn, writes, txns, anomalies);
    if (revisitsAKey(txn)) anomalies.push(...internal(txn, workload), ...futureReads(txn));
  }
  anomalies.push(...lostUpdates(committed, workload, new DeadlineWatch(deadline, "looking for lost updates", "transaction")));
  return anomalies;
}

/** Only a txn that touches some key twice can contradict itself or read its own future. */
function revisitsAKey(txn: Txn): boolean {
  const { mops } = txn;
  for (let i = 1; i < mops.length; i++) {
    for (let j = 0; j < i; j++) if (mops[i]![1] === mops[j]![1] || slot(mops[i]![1]) === slot(mops[j]![1])) return true;
  }
  return false;
}

/** The version a read ends on: a list's last element or a register's value; nil when nothing was written yet. */
function lastObserved(value: unknown): Slot {
  const seen = observed(value);
  return seen.length === 0 ? null : slot(seen[seen.length - 1]);
}

/** G1a: a committed txn saw a value only a failed txn wrote (an info writer may have committed). */
function abortedReads(txn: Txn, writes: WriteIndex, txns: readonly Txn[], found: DirectAnomalyData[]): void {
  for (const m of txn.mops) {
    if (!isRead(m)) continue;
    const key = slot(m[1]);
    if (!writes.failedKeys.has(key)) continue;
    for (const e of observed(m[2])) {
      const w = writeOf(writes, key, e);
      if (!w?.failed || w.txn === txn.id) continue;
      found.push({ type: "G1a", ops: [txns[w.txn]!.op.id, txn.op.id], key, read: m[2], value: e });
      break;
    }
  }
}

/** G1b: a committed txn's read ends on a version its writer later overwrote within the same txn. */
function intermediateReads(txn: Txn, writes: WriteIndex, txns: readonly Txn[], found: DirectAnomalyData[]): void {
  for (let at = 0; at < txn.mops.length; at++) {
    if (!isExternalRead(txn.mops, at)) continue;
    const m = txn.mops[at]!;
    const last = lastObserved(m[2]);
    if (last === null) continue;
    const key = slot(m[1]);
    if (!isIntermediate(writes, key, last)) continue;
    const w = writeOf(writes, key, last)!;
    if (w.txn === txn.id) continue;
    found.push({ type: "G1b", ops: [txns[w.txn]!.op.id, txn.op.id], key, read: m[2], value: last });
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

/** P4: two committed txns read the same version of a key and both then wrote that key. */
function lostUpdates(committed: readonly Txn[], workload: TxnWorkload, watch: DeadlineWatch): DirectAnomalyData[] {
  // key → version read → the txns that read it and then wrote the key (most versions have one: kept unboxed).
  const groups = new Map<Slot, Map<Slot, Txn | Txn[]>>();
  for (const txn of committed) {
    watch.tick();
    for (let at = 0; at < txn.mops.length; at++) {
      if (!isExternalRead(txn.mops, at)) continue;
      const m = txn.mops[at]!;
      const key = slot(m[1]);
      if (!writesAfter(txn, at, key)) continue;
      const version = lastObserved(m[2]);
      let byVersion = groups.get(key);
      if (!byVersion) groups.set(key, (byVersion = new Map()));
      const group = byVersion.get(version);
      if (group === undefined) byVersion.set(version, txn);
      else if (Array.isArray(group)) group.push(txn);
      else byVersion.set(version, [group, txn]);
    }
  }
  const found: DirectAnomalyData[] = [];
  for (const [key, byVersion] of groups) {
    for (const [version, group] of byVersion) {
      if (Array.isArray(group)) found.push({ type: "lost-update", ops: group.map((t) => t.op.id), key, version, write: workload.write });
    }
  }
  return found;
}

function writesAfter(txn: Txn, at: number, key: Slot): boolean {
  for (let later = at + 1; later < txn.mops.length; later++) {
    const w = txn.mops[later]!;
    if (isWrite(w) && slot(w[1]) === key) return true;
  }
  return false;
}
