import type { CycleStep } from "./anomaly.ts";
import { externalReads, isWrite, slot, type Slot, type Txn, type Workload } from "./facts.ts";
import { KIND_NAMES, PROCESS, REALTIME, RW, WR, WW } from "./graph.ts";
import { show, txnName } from "./text.ts";
import type { VersionOrder } from "./version-order.ts";
import { liveWriter, type WriteIndex } from "./writes.ts";

/** The evidence the edges were built from, to say in words why each edge of a cycle exists. */
export interface Explainer {
  txns: readonly Txn[];
  writes: WriteIndex;
  order: VersionOrder;
}

/** One sentence per edge, e.g. "T2 observed T1's append of 1 to key y". */
export function explainCycle(x: Explainer, nodes: readonly number[], kinds: readonly number[]): CycleStep[] {
  return nodes.map((from, i) => {
    const to = nodes[(i + 1) % nodes.length]!;
    const a = x.txns[from]!;
    const b = x.txns[to]!;
    const kind = kinds[i]!;
    const why = kind === WW ? explainWw(x, a, b) : kind === WR ? explainWr(x, a, b) : kind === RW ? explainRw(x, a, b) : undefined;
    const fallback =
      kind === PROCESS
        ? `${txnName(b)} ran after ${txnName(a)} on the same process ${show(a.op.process)}.`
        : kind === REALTIME
          ? `${txnName(b)} began after ${txnName(a)} had completed (real-time order).`
          : `${txnName(a)} precedes ${txnName(b)} (${KIND_NAMES[kind]}).`;
    return { from: a.op.id, to: b.op.id, kind: KIND_NAMES[kind]!, ...(why ? { key: why.key } : {}), explanation: why?.text ?? fallback };
  });
}

interface Why {
  key: Slot;
  text: string;
}

function verb(workload: Workload): string {
  return workload === "list-append" ? "append" : "write";
}

/** a's version of some key was directly followed by b's (or b's append, in no read, came after a's last one). */
function explainWw(x: Explainer, a: Txn, b: Txn): Why | undefined {
  for (const m of b.mops) {
    if (!isWrite(m)) continue;
    const key = slot(m[1]);
    const known = x.order.keys.get(key);
    if (!known) continue;
    const at = known.position.get(slot(m[2]));
    const unread = at === undefined && known.later.includes(m[2]);
    const before = unread ? known.elements[known.elements.length - 1] : at !== undefined && at > 0 ? known.elements[at - 1] : undefined;
    if (before === undefined || liveWriter(x.writes, key, before) !== a.id) continue;
    const text = unread
      ? `${txnName(b)}'s append of ${show(m[2])} to key ${show(key)} shows in no read, so it came after ${txnName(a)}'s append of ${show(before)}, the last element read.`
      : `${txnName(b)}'s append of ${show(m[2])} to key ${show(key)} came right after ${txnName(a)}'s append of ${show(before)}.`;
    return { key, text };
  }
  return undefined;
}

/** b read what a wrote. */
function explainWr(x: Explainer, a: Txn, b: Txn): Why | undefined {
  for (const r of externalReads(b)) {
    const seen = Array.isArray(r.value) ? r.value : r.value === null || r.value === undefined ? [] : [r.value];
    const last = seen[seen.length - 1];
    if (seen.length === 0 || liveWriter(x.writes, r.key, last) !== a.id) continue;
    const shown = Array.isArray(r.value) ? ` (it read ${show(r.value)})` : "";
    return { key: r.key, text: `${txnName(b)} observed ${txnName(a)}'s ${verb(x.order.workload)} of ${show(last)} to key ${show(r.key)}${shown}.` };
  }
  return undefined;
}

/** a read a version that b then overwrote: a did not observe b's write. */
function explainRw(x: Explainer, a: Txn, b: Txn): Why | undefined {
  for (const r of externalReads(a)) {
    if (x.order.workload === "list-append") {
      const known = x.order.keys.get(r.key);
      const seen = Array.isArray(r.value) ? r.value : [];
      if (!known) continue;
      const next = known.elements[seen.length];
      if (next !== undefined && liveWriter(x.writes, r.key, next) === b.id) {
        return { key: r.key, text: `${txnName(a)} did not observe ${txnName(b)}'s append of ${show(next)} to key ${show(r.key)} (it read ${show(seen)}).` };
      }
      const unread = seen.length === known.elements.length ? known.later.find((v) => liveWriter(x.writes, r.key, v) === b.id) : undefined;
      if (unread === undefined) continue;
      return { key: r.key, text: `${txnName(a)} did not observe ${txnName(b)}'s append of ${show(unread)} to key ${show(r.key)} (it read ${show(seen)}; that append shows in no read, so it came later).` };
    }
    if (r.value !== null && r.value !== undefined) continue;
    const write = b.mops.find((m) => isWrite(m) && slot(m[1]) === r.key);
    if (!write) continue;
    return { key: r.key, text: `${txnName(a)} read key ${show(r.key)} as nil, so it did not observe ${txnName(b)}'s write of ${show(write[2])}.` };
  }
  return undefined;
}
