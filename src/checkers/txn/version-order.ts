import type { Anomaly } from "./anomaly.ts";
import { APPEND, isRead, slot, type Slot, type Txn, type Workload } from "./facts.ts";
import { show, showList, txnName } from "./text.ts";

/** The order in which a key's versions were installed, as far as the reads reveal it. */
export interface KeyOrder {
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

export interface VersionOrder {
  workload: Workload;
  /** list-append only; rw-register knows just that the unwritten nil precedes every write. */
  keys: Map<Slot, KeyOrder>;
  /** What was inferred and from what, in one sentence. */
  inferred: string;
  anomalies: Anomaly[];
}

/** Per key, the longest read of a committed txn; reads that disagree with it are anomalies. */
export function inferVersionOrder(workload: Workload, txns: readonly Txn[]): VersionOrder {
  if (workload === "rw-register") {
    return { workload, keys: new Map(), anomalies: [], inferred: "rw-register: the initial nil precedes every written value of a key; reads give no order among written values, so no ww edges and rw edges only out of nil reads" };
  }
  const longest = new Map<Slot, { elements: readonly unknown[]; txn: Txn }>();
  forEachListRead(txns, (txn, key, elements) => {
    const best = longest.get(key);
    if (!best || elements.length > best.elements.length) longest.set(key, { elements, txn });
  });
  const anomalies: Anomaly[] = [];
  const keys = new Map<Slot, KeyOrder>();
  for (const [key, { elements, txn }] of longest) {
    const position = new Map<Slot, number>();
    elements.forEach((e, i) => {
      const s = slot(e);
      if (!position.has(s)) position.set(s, i);
    });
    // Every other read is checked to be a prefix of this one, so it can repeat an element only if this one does.
    if (position.size < elements.length) anomalies.push(duplicates(txn, key, elements));
    keys.set(key, { elements, position, later: [] });
  }
  const incompatibleKeys = new Set<Slot>();
  for (const txn of txns) {
    if (txn.outcome !== "ok") continue;
    for (const m of txn.mops) {
      const key = slot(m[1]);
      const known = keys.get(key);
      if (m[0] === APPEND) {
        if (known && !known.position.has(slot(m[2]))) known.later.push(m[2]);
        continue;
      }
      const elements = Array.isArray(m[2]) ? m[2] : [];
      const best = longest.get(key)!;
      if (incompatibleKeys.has(key) || isPrefix(elements, best.elements)) continue;
      incompatibleKeys.add(key);
      if (new Set(elements.map(slot)).size < elements.length) anomalies.push(duplicates(txn, key, elements));
      anomalies.push({
        type: "incompatible-order",
        ops: [best.txn.op.id, txn.op.id],
        key,
        explanation: `${txnName(txn)} read key ${show(key)} as ${showList(elements)} but ${txnName(best.txn)} read ${showList(best.elements)}: neither is a prefix of the other, so no single order of appends explains both.`,
      });
    }
  }
  let unread = 0;
  for (const known of keys.values()) unread += known.later.length;
  return {
    workload,
    keys,
    anomalies,
    inferred: `list-append: the version order of each of ${keys.size} key${keys.size === 1 ? "" : "s"} is its longest committed read; every other read must be a prefix of it; ${unread} committed append${unread === 1 ? "" : "s"} no read shows came after the longest read of ${unread === 1 ? "its key (whose last element's writer precedes it, and every read of the whole list anti-depends on it)" : "their key (whose last element's writer precedes them, and every read of the whole list anti-depends on them)"}; unobserved indeterminate appends stay unordered`,
  };
}

function duplicates(txn: Txn, key: Slot, elements: readonly unknown[]): Anomaly {
  return {
    type: "duplicate-elements",
    ops: [txn.op.id],
    key,
    explanation: `${txnName(txn)} read key ${show(key)} as ${showList(elements)}, which holds an element more than once: no sequence of appends of unique values gives that list.`,
  };
}

/** Every read of a committed txn, with its observed list (reads that observed nothing are empty lists). */
function forEachListRead(txns: readonly Txn[], visit: (txn: Txn, key: Slot, elements: readonly unknown[]) => void): void {
  for (const txn of txns) {
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
