import { DeadlineWatch, type Deadline } from "../deadline.ts";
import { PROCESS, REALTIME, type EdgeList } from "./graph.ts";
import { FAIL, OK, type TxnTable } from "./table.ts";

/** Process order: each committed txn precedes the next txn its process invoked. */
export function addProcessOrder(edges: EdgeList, table: TxnTable): void {
  const last = new Map<unknown, number>();
  for (let t = 0; t < table.size; t++) {
    if (table.outcome[t] === FAIL) continue;
    const process = table.process[t];
    const previous = last.get(process);
    if (previous !== undefined) edges.add(previous, t, PROCESS);
    if (table.outcome[t] === OK) last.set(process, t);
  }
}

/** Real-time order as edges, transitively reduced (forEachRealtimePair). */
export function addRealtimeOrder(edges: EdgeList, table: TxnTable, deadline?: Deadline): void {
  forEachRealtimePair(table, (earlier, later) => edges.add(earlier, later, REALTIME), new DeadlineWatch(deadline, "adding the real-time edges", "transaction"));
}

/** When txns ran, in invocation order: history positions (ret Infinity when indeterminate) and outcomes (table.ts codes). */
export interface Timing {
  size: number;
  call: ArrayLike<number>;
  ret: ArrayLike<number>;
  outcome: ArrayLike<number>;
}

/**
 * The committed txns in completion order. Their rets are distinct history positions: while
 * those are dense (records numbered by the reader, not sparse given indices), each goes to its
 * place without a comparison sort.
 */
function byCompletion({ size, ret, outcome }: Timing): number[] {
  const committed: number[] = [];
  let last = -1;
  for (let t = 0; t < size; t++) {
    if (outcome[t] !== OK) continue;
    committed.push(t);
    last = Math.max(last, ret[t]!);
  }
  if (last >= 4 * committed.length + 1024) return committed.sort((a, b) => ret[a]! - ret[b]!);
  const at = new Int32Array(last + 1).fill(-1);
  for (const t of committed) at[ret[t]!] = t;
  const out: number[] = [];
  for (const t of at) if (t >= 0) out.push(t);
  return out;
}

/**
 * Real-time order, transitively reduced as Elle does: a txn that completed precedes each txn
 * invoked later, but only while no other txn completed in between that itself follows it.
 * The frontier holds the txns completed so far that nothing completed since has superseded.
 * Txns are indices into `timing`; failed ones take no part.
 */
export function forEachRealtimePair(timing: Timing, visit: (earlier: number, later: number) => void, watch?: DeadlineWatch): void {
  const { call, ret, outcome } = timing;
  const live: number[] = [];
  for (let t = 0; t < timing.size; t++) if (outcome[t] !== FAIL) live.push(t);
  const completions = byCompletion(timing);
  const frontier: number[] = [];
  let c = 0;
  // A completing txn supersedes the frontier txns that completed before it was invoked: they precede it.
  const complete = (txn: number): void => {
    let kept = 0;
    for (const t of frontier) if (ret[t]! > call[txn]!) frontier[kept++] = t;
    frontier.length = kept;
    frontier.push(txn);
  };
  for (const txn of live) {
    watch?.tick();
    while (c < completions.length && ret[completions[c]!]! < call[txn]!) complete(completions[c++]!);
    for (const t of frontier) visit(t, txn);
  }
}
