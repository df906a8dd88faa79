import type { Anomaly } from "./anomaly.ts";
import { isExternalRead, isRead, isWrite, slot, type MicroOp, type Slot, type Txn, type Workload } from "./facts.ts";
import { describeMop, show, showList, txnName } from "./text.ts";
import type { VersionOrder } from "./version-order.ts";
import { isIntermediate, writeOf, type WriteIndex } from "./writes.ts";

/**
 * Anomalies visible without a dependency graph: aborted and intermediate reads, a txn that
 * contradicts itself or reads its own future, updates built on aborted versions, lost updates.
 */
export function findDirectAnomalies(txns: readonly Txn[], writes: WriteIndex, order: VersionOrder): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const committed = txns.filter((t) => t.outcome === "ok");
  for (const txn of committed) {
    if (writes.failedKeys.size > 0) abortedReads(txn, writes, txns, anomalies);
    intermediateReads(txn, writes, txns, anomalies);
    if (revisitsAKey(txn)) anomalies.push(...internal(txn, order.workload), ...futureReads(txn));
  }
  anomalies.push(...dirtyUpdates(order, writes, txns), ...lostUpdates(committed, order.workload));
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

/** The values a read observed: a list's elements, or a register's one value (nil observes nothing written). */
function observed(m: MicroOp): readonly unknown[] {
  if (Array.isArray(m[2])) return m[2];
  return m[2] === null || m[2] === undefined ? [] : [m[2]];
}

/** The version a read ends on: a list's last element or a register's value; nil when nothing was written yet. */
function lastObserved(m: MicroOp): Slot {
  const seen = observed(m);
  return seen.length === 0 ? null : slot(seen[seen.length - 1]);
}

/** G1a: a committed txn saw a value only a failed txn wrote (an info writer may have committed). */
function abortedReads(txn: Txn, writes: WriteIndex, txns: readonly Txn[], found: Anomaly[]): void {
  for (const m of txn.mops) {
    if (!isRead(m)) continue;
    const key = slot(m[1]);
    if (!writes.failedKeys.has(key)) continue;
    for (const e of observed(m)) {
      const w = writeOf(writes, key, e);
      if (!w?.failed || w.txn === txn.id) continue;
      const writer = txns[w.txn]!;
      found.push({
        type: "G1a",
        ops: [writer.op.id, txn.op.id],
        key,
        explanation: `${txnName(txn)} read key ${show(key)} as ${show(m[2])}, observing ${show(e)}, which only ${txnName(writer)} wrote, and ${txnName(writer)} aborted (fail).`,
      });
      break;
    }
  }
}

/** G1b: a committed txn's read ends on a version its writer later overwrote within the same txn. */
function intermediateReads(txn: Txn, writes: WriteIndex, txns: readonly Txn[], found: Anomaly[]): void {
  for (let at = 0; at < txn.mops.length; at++) {
    if (!isExternalRead(txn.mops, at)) continue;
    const m = txn.mops[at]!;
    const last = lastObserved(m);
    if (last === null) continue;
    const key = slot(m[1]);
    if (!isIntermediate(writes, key, last)) continue;
    const w = writeOf(writes, key, last)!;
    if (w.txn === txn.id) continue;
    const writer = txns[w.txn]!;
    found.push({
      type: "G1b",
      ops: [writer.op.id, txn.op.id],
      key,
      explanation: `${txnName(txn)} read key ${show(key)} as ${show(m[2])}, ending on ${show(last)}, an intermediate version: ${txnName(writer)} wrote ${show(last)} and then wrote key ${show(key)} again before committing.`,
    });
  }
}

/** A txn's later reads must agree with its own earlier reads and writes of the key. */
function internal(txn: Txn, workload: Workload): Anomaly[] {
  const found: Anomaly[] = [];
  // Per key: the full state when known (after a read), and own writes since.
  const state = new Map<Slot, { known: readonly unknown[] | undefined; since: unknown[] }>();
  for (const m of txn.mops) {
    const key = slot(m[1]);
    let s = state.get(key);
    if (!s) state.set(key, (s = { known: undefined, since: [] }));
    if (isWrite(m)) {
      if (workload === "list-append") s.since.push(m[2]);
      else s.since = [m[2]];
      continue;
    }
    const seen = workload === "list-append" ? observed(m) : [m[2] ?? null];
    const expected = expectedRead(s, workload);
    if (expected && !matches(seen, expected)) {
      found.push({
        type: "internal",
        ops: [txn.op.id],
        key,
        explanation: `${txnName(txn)} read key ${show(key)} as ${show(m[2])}, but its own earlier micro-ops imply ${expected.exact ? "" : "a list ending in "}${workload === "list-append" ? showList(expected.values) : show(expected.values[0])}.`,
      });
    }
    s.known = seen;
    s.since = [];
  }
  return found;
}

function expectedRead(s: { known: readonly unknown[] | undefined; since: unknown[] }, workload: Workload): { values: readonly unknown[]; exact: boolean } | undefined {
  if (workload === "rw-register") return s.since.length > 0 ? { values: s.since, exact: true } : s.known && { values: s.known, exact: true };
  if (s.known) return { values: [...s.known, ...s.since], exact: true };
  return s.since.length > 0 ? { values: s.since, exact: false } : undefined;
}

function matches(seen: readonly unknown[], expected: { values: readonly unknown[]; exact: boolean }): boolean {
  const { values, exact } = expected;
  if (exact ? seen.length !== values.length : seen.length < values.length) return false;
  const offset = seen.length - values.length;
  return values.every((v, i) => slot(v) === slot(seen[offset + i]));
}

/** A read that observes a value its own txn writes only later. */
function futureReads(txn: Txn): Anomaly[] {
  const found: Anomaly[] = [];
  txn.mops.forEach((m, at) => {
    if (!isRead(m)) return;
    const key = slot(m[1]);
    const seen = observed(m);
    const later = txn.mops.slice(at + 1).find((w) => isWrite(w) && slot(w[1]) === key && seen.some((e) => slot(e) === slot(w[2])));
    if (!later) return;
    found.push({
      type: "future-read",
      ops: [txn.op.id],
      key,
      explanation: `${txnName(txn)} read key ${show(key)} as ${show(m[2])} before its own ${describeMop(later)}: it observed a write from its own future.`,
    });
  });
  return found;
}

/** Dirty update: in a key's version order, a committed or indeterminate append follows an aborted one. */
function dirtyUpdates(order: VersionOrder, writes: WriteIndex, txns: readonly Txn[]): Anomaly[] {
  const found: Anomaly[] = [];
  for (const [key, { elements }] of order.keys) {
    if (!writes.failedKeys.has(key)) continue;
    const aborted = elements.findIndex((e) => writeOf(writes, key, e)?.failed);
    if (aborted < 0) continue;
    const later = elements.slice(aborted + 1).find((e) => {
      const w = writeOf(writes, key, e);
      return w !== undefined && !w.failed;
    });
    if (later === undefined) continue;
    const failedWriter = txns[writeOf(writes, key, elements[aborted])!.txn]!;
    const writer = txns[writeOf(writes, key, later)!.txn]!;
    found.push({
      type: "dirty-update",
      ops: [failedWriter.op.id, writer.op.id],
      key,
      explanation: `Key ${show(key)} holds ${show(elements[aborted])} from the aborted ${txnName(failedWriter)} followed by ${show(later)} from ${txnName(writer)}: a committed update was built on an aborted one.`,
    });
  }
  return found;
}

/** P4: two committed txns read the same version of a key and both then wrote that key. */
function lostUpdates(committed: readonly Txn[], workload: Workload): Anomaly[] {
  // key → version read → the txns that read it and then wrote the key (most versions have one: kept unboxed).
  const groups = new Map<Slot, Map<Slot, Txn | Txn[]>>();
  for (const txn of committed) {
    for (let at = 0; at < txn.mops.length; at++) {
      if (!isExternalRead(txn.mops, at)) continue;
      const m = txn.mops[at]!;
      const key = slot(m[1]);
      if (!writesAfter(txn, at, key)) continue;
      const version = lastObserved(m);
      let byVersion = groups.get(key);
      if (!byVersion) groups.set(key, (byVersion = new Map()));
      const group = byVersion.get(version);
      if (group === undefined) byVersion.set(version, txn);
      else if (Array.isArray(group)) group.push(txn);
      else byVersion.set(version, [group, txn]);
    }
  }
  const found: Anomaly[] = [];
  for (const [key, byVersion] of groups) {
    for (const [version, group] of byVersion) {
      if (!Array.isArray(group)) continue;
      const names = group.map(txnName).join(" and ");
      found.push({
        type: "lost-update",
        ops: group.map((t) => t.op.id),
        key,
        explanation: `${names} all read key ${show(key)} at the same version (${workload === "list-append" ? "ending in " : ""}${show(version)}) and then wrote it: every update but one was lost.`,
      });
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
