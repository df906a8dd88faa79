import { isExternalRead, slot, type Txn } from "./facts.ts";
import { RW, WR, WW, type EdgeList } from "./graph.ts";
import type { VersionOrder } from "./version-order.ts";
import { liveWriter, writesTo, type WriteIndex } from "./writes.ts";

/**
 * Adds Adya's data dependencies between transactions that did not abort: ww (installed the next
 * version), wr (read what the other wrote), rw (read a version the other then overwrote).
 */
export function addDependencies(edges: EdgeList, txns: readonly Txn[], writes: WriteIndex, order: VersionOrder): void {
  if (order.workload === "list-append") addListAppend(edges, txns, writes, order);
  else addRegister(edges, txns, writes);
}

function addListAppend(edges: EdgeList, txns: readonly Txn[], writes: WriteIndex, order: VersionOrder): void {
  for (const [key, { elements, later }] of order.keys) {
    let previous = elements.length > 0 ? liveWriter(writes, key, elements[0]) : -1;
    for (let i = 1; i < elements.length; i++) {
      const next = liveWriter(writes, key, elements[i]);
      if (previous >= 0 && next >= 0) edges.add(previous, next, WW);
      previous = next;
    }
    if (previous < 0) continue;
    for (const value of later) edges.add(previous, liveWriter(writes, key, value), WW);
  }
  forEachExternalRead(txns, (txn, key, value) => {
    const known = order.keys.get(key);
    if (!known) return;
    const seen = Array.isArray(value) ? value : [];
    if (seen.length > known.elements.length || (seen.length > 0 && known.position.get(slot(seen[seen.length - 1])) !== seen.length - 1)) return;
    if (seen.length > 0) {
      const writer = liveWriter(writes, key, seen[seen.length - 1]);
      if (writer >= 0) edges.add(writer, txn.id, WR);
    }
    if (seen.length < known.elements.length) {
      const overwriter = liveWriter(writes, key, known.elements[seen.length]);
      if (overwriter >= 0) edges.add(txn.id, overwriter, RW);
    } else {
      for (const later of known.later) edges.add(txn.id, liveWriter(writes, key, later), RW);
    }
  });
}

/** Registers: a read of v depends on v's writer; a read of the initial nil precedes every writer of the key. */
function addRegister(edges: EdgeList, txns: readonly Txn[], writes: WriteIndex): void {
  forEachExternalRead(txns, (txn, key, value) => {
    if (value !== null && value !== undefined) {
      const writer = liveWriter(writes, key, value);
      if (writer >= 0) edges.add(writer, txn.id, WR);
      return;
    }
    for (const w of writesTo(writes, key)) {
      if (!w.failed && w.final) edges.add(txn.id, w.txn, RW);
    }
  });
}

/** Each read of a committed transaction that observes other transactions (not its own writes). */
function forEachExternalRead(txns: readonly Txn[], visit: (txn: Txn, key: ReturnType<typeof slot>, value: unknown) => void): void {
  for (const txn of txns) {
    if (txn.outcome !== "ok") continue;
    for (let at = 0; at < txn.mops.length; at++) {
      if (!isExternalRead(txn.mops, at)) continue;
      const m = txn.mops[at]!;
      visit(txn, slot(m[1]), m[2]);
    }
  }
}
