import { DeadlineWatch, type Deadline } from "../../deadline.ts";
import type { CycleEdge, DirectAnomalyData } from "../anomaly.ts";
import { externalReads, forEachExternalRead, isRead, slot, type Slot, type Txn } from "../facts.ts";
import { RW, WR, WW, type EdgeList } from "../graph.ts";
import { explainRead, inferencesOn, type TxnWorkload, type VersionOrder } from "../workload.ts";
import { liveWriter, writeOf, type WriteIndex } from "../writes.ts";

/** The order in which a key's versions were installed, as far as the reads reveal it. */
interface KeyOrder {
  /** The longest read of the key: every other read must be a prefix of it. */
  elements: readonly unknown[];
  /** Element (as Slot) → its position in `elements`. */
  position: Map<Slot, number>;
  /**
   * Committed appends no read shows. Reads show whole prefixes, so each of these was appended
   * after the last element of `elements` (their order among themselves is unknown).
   */
  later: unknown[];
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
  orderVersions(txns, writes, inference, deadline) {
    const ignored = inferencesOn(inference);
    const { keys, anomalies } = longestReads(txns, deadline);
    anomalies.push(...dirtyUpdates(keys, writes, txns));
    let unread = 0;
    for (const known of keys.values()) unread += known.later.length;
    return {
      anomalies,
      inferred: `list-append: the version order of each of ${keys.size} key${keys.size === 1 ? "" : "s"} is its longest committed read; every other read must be a prefix of it; ${unread} committed append${unread === 1 ? "" : "s"} no read shows came after the longest read of ${unread === 1 ? "its key (whose last element's writer precedes it, and every read of the whole list anti-depends on it)" : "their key (whose last element's writer precedes them, and every read of the whole list anti-depends on them)"}; unobserved indeterminate appends stay unordered${ignored.length > 0 ? `; ${ignored.join(", ")} not used: as in Elle, list-append orders versions from the reads alone` : ""}`,
      addDependencies: (edges) => addDependencies(edges, keys, txns, writes, new DeadlineWatch(deadline, "adding the data dependency edges", "transaction")),
      explain: (kind, a, b) => (kind === WW ? explainWw(keys, writes, a, b) : kind === WR ? explainRead("append", writes, a, b) : kind === RW ? explainRw(keys, writes, a, b) : undefined),
    } satisfies VersionOrder;
  },
};

/** Per key, the longest read of a committed txn; reads that disagree with it are anomalies. */
function longestReads(txns: readonly Txn[], deadline: Deadline | undefined): { keys: Map<Slot, KeyOrder>; anomalies: DirectAnomalyData[] } {
  const longest = new Map<Slot, { elements: readonly unknown[]; txn: Txn }>();
  forEachListRead(txns, new DeadlineWatch(deadline, "ordering each key's versions", "transaction"), (txn, key, elements) => {
    const best = longest.get(key);
    if (!best || elements.length > best.elements.length) longest.set(key, { elements, txn });
  });
  const anomalies: DirectAnomalyData[] = [];
  const keys = new Map<Slot, KeyOrder>();
  for (const [key, { elements, txn }] of longest) {
    const position = new Map<Slot, number>();
    elements.forEach((e, i) => {
      const s = slot(e);
      if (!position.has(s)) position.set(s, i);
    });
    // Every other read is checked to be a prefix of this one, so it can repeat an element only if this one does.
    if (position.size < elements.length) anomalies.push({ type: "duplicate-elements", ops: [txn.op.id], key, read: elements });
    keys.set(key, { elements, position, later: [] });
  }
  const incompatibleKeys = new Set<Slot>();
  const watch = new DeadlineWatch(deadline, "checking every read against its key's order", "transaction");
  for (const txn of txns) {
    watch.tick();
    if (txn.outcome !== "ok") continue;
    for (const m of txn.mops) {
      const key = slot(m[1]);
      const known = keys.get(key);
      if (m[0] === "append") {
        if (known && !known.position.has(slot(m[2]))) known.later.push(m[2]);
        continue;
      }
      const elements = Array.isArray(m[2]) ? m[2] : [];
      const best = longest.get(key)!;
      if (incompatibleKeys.has(key) || isPrefix(elements, best.elements)) continue;
      incompatibleKeys.add(key);
      if (new Set(elements.map(slot)).size < elements.length) anomalies.push({ type: "duplicate-elements", ops: [txn.op.id], key, read: elements });
      anomalies.push({ type: "incompatible-order", ops: [best.txn.op.id, txn.op.id], key, read: elements, longest: best.elements });
    }
  }
  return { keys, anomalies };
}

/** Dirty update: in a key's version order, a committed or indeterminate append follows an aborted one. */
function dirtyUpdates(keys: Map<Slot, KeyOrder>, writes: WriteIndex, txns: readonly Txn[]): DirectAnomalyData[] {
  const found: DirectAnomalyData[] = [];
  for (const [key, { elements }] of keys) {
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
    found.push({ type: "dirty-update", ops: [failedWriter.op.id, writer.op.id], key, aborted: elements[aborted], value: later });
  }
  return found;
}

function addDependencies(edges: EdgeList, keys: Map<Slot, KeyOrder>, txns: readonly Txn[], writes: WriteIndex, watch: DeadlineWatch): void {
  for (const [key, { elements, later }] of keys) {
    let previous = elements.length > 0 ? liveWriter(writes, key, elements[0]) : -1;
    for (let i = 1; i < elements.length; i++) {
      const next = liveWriter(writes, key, elements[i]);
      if (previous >= 0 && next >= 0) edges.add(previous, next, WW);
      previous = next;
    }
    if (previous < 0) continue;
    for (const value of later) edges.add(previous, liveWriter(writes, key, value), WW);
  }
  forEachExternalRead(txns, watch, (txn, key, value) => {
    const known = keys.get(key);
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

/** a's version of some key was directly followed by b's (or b's append, in no read, came after a's last one). */
function explainWw(keys: Map<Slot, KeyOrder>, writes: WriteIndex, a: Txn, b: Txn): CycleEdge | undefined {
  for (const m of b.mops) {
    if (m[0] !== "append") continue;
    const key = slot(m[1]);
    const known = keys.get(key);
    if (!known) continue;
    const value = slot(m[2]);
    if (!known.position.has(value)) {
      const last = known.elements[known.elements.length - 1];
      if (known.later.includes(m[2]) && last !== undefined && liveWriter(writes, key, last) === a.id) return { kind: "ww", key, write: "append", previous: last, value: m[2], because: { by: "unread" } };
      continue;
    }
    // Scanned, not looked up: a list that repeats an element has it at more than one position.
    for (let at = 1; at < known.elements.length; at++) {
      if (slot(known.elements[at]) !== value) continue;
      const before = known.elements[at - 1];
      if (liveWriter(writes, key, before) === a.id) return { kind: "ww", key, write: "append", previous: before, value: m[2], because: { by: "list" } };
    }
  }
  return undefined;
}

/** a read a version that b then overwrote: a did not observe b's append. */
function explainRw(keys: Map<Slot, KeyOrder>, writes: WriteIndex, a: Txn, b: Txn): CycleEdge | undefined {
  for (const r of externalReads(a)) {
    const known = keys.get(r.key);
    const seen = Array.isArray(r.value) ? r.value : [];
    if (!known) continue;
    const next = known.elements[seen.length];
    if (next !== undefined && liveWriter(writes, r.key, next) === b.id) return { kind: "rw", key: r.key, write: "append", read: seen, value: next, because: { by: "list" } };
    const unread = seen.length === known.elements.length ? known.later.find((v) => liveWriter(writes, r.key, v) === b.id) : undefined;
    if (unread !== undefined) return { kind: "rw", key: r.key, write: "append", read: seen, value: unread, because: { by: "unread" } };
  }
  return undefined;
}

/** Every read of a committed txn, with its observed list (reads that observed nothing are empty lists). */
function forEachListRead(txns: readonly Txn[], watch: DeadlineWatch, visit: (txn: Txn, key: Slot, elements: readonly unknown[]) => void): void {
  for (const txn of txns) {
    watch.tick();
    if (txn.outcome !== "ok") continue;
    for (const m of txn.mops) {
      if (isRead(m)) visit(txn, slot(m[1]), Array.isArray(m[2]) ? m[2] : []);
    }
  }
}

function isPrefix(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && slot(a[i]) !== slot(b[i])) return false;
  return true;
}
