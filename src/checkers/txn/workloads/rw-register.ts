import { DeadlineWatch, type Deadline } from "../../deadline.ts";
import type { CycleEdge, DirectAnomalyData, VersionReason } from "../anomaly.ts";
import { externalReads, finalWrites, forEachExternalRead, isExternalRead, isWrite, slot, type Slot, type Txn } from "../facts.ts";
import { RW, WR, WW, type EdgeList } from "../graph.ts";
import { forEachRealtimePair, type Timing } from "../session-order.ts";
import { OUTCOMES, txnAt, type TxnTable } from "../table.ts";
import { explainRead, inferencesOn, type TxnWorkload, type VersionInference, type VersionOrder } from "../workload.ts";
import { liveWriter, writesTo, type WriteIndex } from "../writes.ts";

/** Per key: version → later version → why (the first reason found). nil is `null`. */
type VersionGraph = Map<Slot, Map<Slot, VersionReason>>;

/** Elle's rw-register: `["w", k, v]` writes, `["r", k, v]` reads (`null`: never written). */
export const rwRegister: TxnWorkload = {
  name: "rw-register",
  write: "w",
  marks: (m) => m[0] === "w",
  readState: (value) => [value ?? null],
  ownWrite(state, value) {
    state.known = [value];
    state.since = [];
  },
  asRead: (state) => state[0] ?? null,
  orderVersions(table, writes, inference, deadline) {
    const txns = allTxns(table, new DeadlineWatch(deadline, "reading the register txns", "transaction"));
    const dependencies = (): DeadlineWatch => new DeadlineWatch(deadline, "adding the data dependency edges", "transaction");
    const on = inferencesOn(inference);
    const initial = "rw-register: the initial nil precedes every written value of a key";
    if (on.length === 0) {
      return {
        anomalies: [],
        inferred: `${initial}; reads give no order among written values, so no ww edges and rw edges only out of nil reads`,
        addDependencies: (edges) => addNilFirst(edges, txns, writes, dependencies()),
        explain: (kind, a, b) => explain(new Map(), writes, kind, txns[a]!, txns[b]!),
      } satisfies VersionOrder;
    }
    const graphs = inferredGraphs(txns, inference, new DeadlineWatch(deadline, "inferring each key's version order", "transaction"));
    const anomalies: DirectAnomalyData[] = [];
    for (const [key, graph] of graphs) {
      const loop = findLoop(graph);
      if (!loop) continue;
      anomalies.push(cyclicVersions(key, graph, loop));
      graphs.delete(key);
    }
    for (const [key, graph] of graphs) bridgeUnwritten(graph, (v) => liveWriter(writes, key, v) >= 0);
    let orderings = 0;
    for (const graph of graphs.values()) for (const [from, later] of graph) if (from !== null) orderings += later.size;
    return {
      anomalies,
      inferred: `${initial}; inferred from ${on.join(", ")} (Elle's opt-in inferences): ${orderings} ordering${orderings === 1 ? "" : "s"} among written values, each a ww edge between their writers and an rw edge from every read of the earlier to the writer of the later${anomalies.length > 0 ? `; ${anomalies.length} key${anomalies.length === 1 ? "" : "s"} whose inferred order loops (cyclic-versions) keep only the nil-first order` : ""}`,
      addDependencies(edges) {
        addNilFirst(edges, txns, writes, dependencies());
        addInferred(edges, graphs, txns, writes, dependencies());
      },
      explain: (kind, a, b) => explain(graphs, writes, kind, txns[a]!, txns[b]!),
    } satisfies VersionOrder;
  },
};

/** Registers are the rarer workload: their inferences work on txns as objects. */
function allTxns(table: TxnTable, watch: DeadlineWatch): Txn[] {
  const txns: Txn[] = [];
  for (let t = 0; t < table.size; t++) {
    watch.tick();
    txns.push(txnAt(table, t));
  }
  return txns;
}

/** A read of v depends on v's writer; a read of the initial nil precedes every writer of the key. */
function addNilFirst(edges: EdgeList, txns: readonly Txn[], writes: WriteIndex, watch: DeadlineWatch): void {
  forEachExternalRead(txns, watch, (txn, key, value) => {
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

/** The versions a committed txn observed of each key, in its order: its external read, then its final write. */
function observations(txn: Txn): Map<Slot, Slot[]> {
  const out = new Map<Slot, Slot[]>();
  txn.mops.forEach((m, at) => {
    if (isExternalRead(txn.mops, at)) out.set(slot(m[1]), [slot(m[2])]);
  });
  for (const [key, value] of finalWrites(txn)) {
    const seen = out.get(key);
    if (seen) seen.push(slot(value));
    else out.set(key, [slot(value)]);
  }
  return out;
}

/** Elle's version graphs per key, from the inferences that are on. */
function inferredGraphs(txns: readonly Txn[], inference: VersionInference, watch: DeadlineWatch): Map<Slot, VersionGraph> {
  const graphs = new Map<Slot, VersionGraph>();
  const order = (key: Slot, from: Slot, to: Slot, because: VersionReason): void => {
    if (from === to) return;
    let graph = graphs.get(key);
    if (!graph) graphs.set(key, (graph = new Map()));
    let later = graph.get(from);
    if (!later) graph.set(from, (later = new Map()));
    if (!later.has(to)) later.set(to, because);
  };
  /** Every version a observed precedes (or equals) every version b observed. */
  const orderAll = (key: Slot, a: readonly Slot[], b: readonly Slot[], because: VersionReason): void => {
    for (const x of a) for (const y of b) order(key, x, y, because);
  };
  const committed = txns.filter((t) => t.outcome === "ok");
  const seen = new Map<Txn, Map<Slot, Slot[]>>(committed.map((t) => [t, observations(t)]));
  // Within a txn, its write follows its read: what wfr assumes, and what per-key program order implies.
  for (const txn of committed) {
    watch.tick();
    const reason: VersionReason | undefined = inference.wfrKeys
      ? { by: "wfr", op: txn.op.id }
      : inference.sequentialKeys
        ? { by: "sequential", process: txn.op.process, ops: [txn.op.id, txn.op.id] }
        : inference.linearizableKeys
          ? { by: "linearizable", ops: [txn.op.id, txn.op.id] }
          : undefined;
    if (reason) for (const [key, versions] of seen.get(txn)!) if (versions.length === 2) order(key, versions[0]!, versions[1]!, reason);
  }
  if (inference.sequentialKeys) {
    const last = new Map<unknown, Map<Slot, Txn>>();
    for (const txn of committed) {
      watch.tick();
      let byKey = last.get(txn.op.process);
      if (!byKey) last.set(txn.op.process, (byKey = new Map()));
      for (const [key, versions] of seen.get(txn)!) {
        const previous = byKey.get(key);
        if (previous) orderAll(key, seen.get(previous)!.get(key)!, versions, { by: "sequential", process: txn.op.process, ops: [previous.op.id, txn.op.id] });
        byKey.set(key, txn);
      }
    }
  }
  if (inference.linearizableKeys) {
    const byKey = new Map<Slot, Txn[]>();
    for (const txn of committed) {
      watch.tick();
      for (const key of seen.get(txn)!.keys()) {
        const list = byKey.get(key);
        if (list) list.push(txn);
        else byKey.set(key, [txn]);
      }
    }
    for (const [key, touching] of byKey) {
      const timing: Timing = { size: touching.length, call: touching.map((t) => t.op.call), ret: touching.map((t) => t.op.ret), outcome: touching.map((t) => OUTCOMES.indexOf(t.outcome)) };
      forEachRealtimePair(
        timing,
        (i, j) => {
          const [a, b] = [touching[i]!, touching[j]!];
          orderAll(key, seen.get(a)!.get(key)!, seen.get(b)!.get(key)!, { by: "linearizable", ops: [a.op.id, b.op.id] });
        },
        watch,
      );
    }
  }
  return graphs;
}

/** A loop in a key's version graph, where nil also precedes every other version; undefined when it is acyclic. */
function findLoop(graph: VersionGraph): Slot[] | undefined {
  const nodes = new Set<Slot>([null]);
  for (const [from, later] of graph) {
    nodes.add(from);
    for (const to of later.keys()) nodes.add(to);
  }
  const others = [...nodes].filter((v) => v !== null);
  const next = (v: Slot): Iterable<Slot> => (v === null ? others : (graph.get(v)?.keys() ?? []));
  const DONE = 2;
  const colour = new Map<Slot, number>();
  for (const root of nodes) {
    if (colour.has(root)) continue;
    // Iterative depth-first search: the path so far and, per node on it, where its successors stand.
    const path: Slot[] = [root];
    const pending: Iterator<Slot>[] = [next(root)[Symbol.iterator]()];
    colour.set(root, 1);
    while (path.length > 0) {
      const step = pending[pending.length - 1]!.next();
      if (step.done) {
        colour.set(path.pop()!, DONE);
        pending.pop();
        continue;
      }
      const w = step.value;
      const c = colour.get(w);
      if (c === 1) return path.slice(path.indexOf(w));
      if (c === DONE) continue;
      colour.set(w, 1);
      path.push(w);
      pending.push(next(w)[Symbol.iterator]());
    }
  }
  return undefined;
}

/**
 * A version no live txn wrote (a read of a value never written, or only aborted) gives no ww
 * or rw edge of its own, so an order through it would be lost: each predecessor is also
 * ordered before each successor, saying through which version. The graph is acyclic here.
 */
function bridgeUnwritten(graph: VersionGraph, written: (v: Slot) => boolean): void {
  const earlier = new Map<Slot, Map<Slot, VersionReason>>();
  for (const [from, later] of graph) {
    for (const [to, because] of later) {
      let before = earlier.get(to);
      if (!before) earlier.set(to, (before = new Map()));
      before.set(from, because);
    }
  }
  // Eliminating one version at a time keeps every order among the rest (edges are only added).
  for (const [version, before] of earlier) {
    if (version === null || written(version)) continue;
    for (const [to, then] of graph.get(version) ?? []) {
      for (const [from, first] of before) {
        if (from === to) continue;
        let later = graph.get(from);
        if (!later) graph.set(from, (later = new Map()));
        if (later.has(to)) continue;
        const because: VersionReason = { by: "through", version, first, then };
        later.set(to, because);
        let into = earlier.get(to);
        if (!into) earlier.set(to, (into = new Map()));
        into.set(from, because);
      }
    }
  }
}

function reasonFor(graph: VersionGraph, from: Slot, to: Slot): VersionReason {
  return graph.get(from)?.get(to) ?? { by: "initial" };
}

function cyclicVersions(key: Slot, graph: VersionGraph, loop: Slot[]): DirectAnomalyData {
  const because = loop.map((v, i) => reasonFor(graph, v, loop[(i + 1) % loop.length]!));
  const ops = new Set<number>();
  for (const r of because) {
    if (r.by === "wfr") ops.add(r.op);
    else if (r.by === "sequential" || r.by === "linearizable") r.ops.forEach((o) => ops.add(o));
  }
  return { type: "cyclic-versions", ops: [...ops], key, versions: loop, because };
}

/** Each inferred a < b: ww from a's writer to b's, rw from every read of a to b's writer (nil's are already there). */
function addInferred(edges: EdgeList, graphs: Map<Slot, VersionGraph>, txns: readonly Txn[], writes: WriteIndex, watch: DeadlineWatch): void {
  const readers = new Map<Slot, Map<Slot, number[]>>();
  forEachExternalRead(txns, watch, (txn, key, value) => {
    if (!graphs.has(key)) return;
    let byValue = readers.get(key);
    if (!byValue) readers.set(key, (byValue = new Map()));
    const v = slot(value);
    const list = byValue.get(v);
    if (list) list.push(txn.id);
    else byValue.set(v, [txn.id]);
  });
  for (const [key, graph] of graphs) {
    for (const [from, later] of graph) {
      if (from === null) continue;
      const writer = liveWriter(writes, key, from);
      const reads = readers.get(key)?.get(from) ?? [];
      for (const to of later.keys()) {
        const overwriter = liveWriter(writes, key, to);
        edges.add(writer, overwriter, WW);
        for (const reader of reads) edges.add(reader, overwriter, RW);
      }
    }
  }
}

function explain(graphs: Map<Slot, VersionGraph>, writes: WriteIndex, kind: number, a: Txn, b: Txn): CycleEdge | undefined {
  if (kind === WR) return explainRead("w", writes, a, b);
  // Inferred orders may involve intermediate versions (a read of one), so every write counts here.
  const written = b.mops.filter(isWrite);
  if (kind === RW) {
    for (const r of externalReads(a)) {
      const read = slot(r.value);
      for (const [, key, value] of written) {
        if (slot(key) !== r.key) continue;
        const because = read === null ? finalWrites(b).get(r.key) === value && ({ by: "initial" } as const) : graphs.get(r.key)?.get(read)?.get(slot(value));
        if (because) return { kind: "rw", key: r.key, write: "w", read: r.value ?? null, value, because };
      }
    }
    return undefined;
  }
  if (kind !== WW) return undefined;
  for (const [, key, previous] of a.mops.filter(isWrite)) {
    for (const [, k, value] of written) {
      const because = slot(k) === slot(key) ? graphs.get(slot(key))?.get(slot(previous))?.get(slot(value)) : undefined;
      if (because) return { kind: "ww", key: slot(key), write: "w", previous, value, because };
    }
  }
  return undefined;
}
