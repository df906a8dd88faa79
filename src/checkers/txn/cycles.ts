import { DATA, PROCESS, REALTIME, RW, WR, WW, type Graph } from "./graph.ts";
import type { CycleType } from "./anomaly.ts";
import { classifyCycle } from "./classify.ts";
import { stronglyConnected } from "./tarjan.ts";

/**
 * A class of cycle to look for: which edge kinds it may use, how many rw edges it needs, and
 * (for -process / -realtime variants) the order edge it must use at least once.
 */
export interface CycleClass {
  base: "G0" | "G1c" | "G-single" | "G-nonadjacent" | "G2";
  allowed: number;
  /** 0, PROCESS or REALTIME: an edge of this kind must appear. */
  extra: number;
}

const BASES: readonly { base: CycleClass["base"]; allowed: number }[] = [
  { base: "G0", allowed: WW },
  { base: "G1c", allowed: WW | WR },
  { base: "G-single", allowed: DATA },
  { base: "G-nonadjacent", allowed: DATA },
  { base: "G2", allowed: DATA },
];

/** The classes to search, weakest edge set first: data only, then with process, then with real-time edges. */
export function cycleClasses(process: boolean, realtime: boolean): CycleClass[] {
  const classes = BASES.map((b) => ({ ...b, extra: 0 }));
  if (process) classes.push(...BASES.map((b) => ({ ...b, allowed: b.allowed | PROCESS, extra: PROCESS })));
  if (realtime) classes.push(...BASES.map((b) => ({ ...b, allowed: b.allowed | PROCESS | REALTIME, extra: REALTIME })));
  return classes;
}

/** A cycle: nodes[i] → nodes[i+1] (and the last back to the first) by the single edge kind kinds[i]. */
export interface FoundCycle {
  nodes: number[];
  kinds: number[];
}

/*
 * Search state: rw edges used (0, 1, 2 = two or more) × flag a × flag b × the required order
 * edge used. For G-nonadjacent, a = the last edge was rw and b = the first edge was rw (no two
 * rw edges may be consecutive, around the cycle too); for the other classes, a = a wr was used.
 */
const STATES = 24;
const rwOf = (s: number): number => s % 3;
const aOf = (s: number): number => Math.floor(s / 3) % 2;
const bOf = (s: number): number => Math.floor(s / 6) % 2;
const extraOf = (s: number): number => Math.floor(s / 12);
const encode = (rw: number, a: number, b: number, extra: number): number => rw + 3 * a + 6 * b + 12 * extra;

/** The state after taking an edge of `kind` (`first`: the edge leaves the start node), or -1 if the class forbids it. */
function step(state: number, kind: number, cls: CycleClass, first: boolean): number {
  let rw = rwOf(state);
  if (kind === RW) {
    if (cls.base === "G-single" && rw === 1) return -1;
    if (cls.base === "G-nonadjacent" && aOf(state) === 1) return -1;
    rw = Math.min(rw + 1, 2);
  }
  const extra = kind === cls.extra ? 1 : extraOf(state);
  if (cls.base === "G-nonadjacent") return encode(rw, kind === RW ? 1 : 0, first ? (kind === RW ? 1 : 0) : bOf(state), extra);
  return encode(rw, kind === WR ? 1 : aOf(state), 0, extra);
}

function accepts(state: number, cls: CycleClass): boolean {
  if (cls.extra !== 0 && extraOf(state) === 0) return false;
  switch (cls.base) {
    case "G0":
      return true;
    case "G1c":
      return aOf(state) === 1;
    case "G-single":
      return rwOf(state) === 1;
    case "G-nonadjacent":
      return rwOf(state) === 2 && !(aOf(state) === 1 && bOf(state) === 1);
    case "G2":
      return rwOf(state) === 2;
  }
}

/** The edge kind a cycle of this class cannot do without: where its search starts. */
function keyKind(cls: CycleClass): number {
  if (cls.extra !== 0) return cls.extra;
  return cls.base === "G0" ? WW : cls.base === "G1c" ? WR : RW;
}

/**
 * One component's cycle search as data that can cross to a worker thread: the component as its
 * own graph (typed arrays), the classes to search and the time it may take.
 */
export interface ComponentTask {
  graph: Graph;
  classes: readonly CycleClass[];
  budgetMs: number;
}

/** Cycles found in a component, in the component's local node numbering. */
export interface ComponentSearch {
  cycles: FoundCycle[];
  /** The time budget ran out before every class was searched. */
  cutShort: boolean;
}

export function componentTask(graph: Graph, component: Int32Array, classes: readonly CycleClass[], budgetMs: number): ComponentTask {
  return { graph: subgraph(graph, component), classes, budgetMs };
}

/**
 * Per class, a shortest cycle through the first start node that has one (breadth-first over
 * node × state). A variant (-process, -realtime) is skipped when its base class already turned
 * up with fewer kinds of edges. The budget starts when the search does.
 */
export function searchComponent(task: ComponentTask): ComponentSearch {
  const deadline = performance.now() + task.budgetMs;
  const found = new Set<string>();
  const named = new Set<CycleType>();
  const cycles: FoundCycle[] = [];
  for (const cls of task.classes) {
    if (found.has(cls.base)) continue;
    const cycle = findCycle(task.graph, cls, deadline);
    if (cycle === "cut-short") return { cycles, cutShort: true };
    if (!cycle) continue;
    found.add(cls.base);
    // The G2 search may find again the G-nonadjacent cycle already reported.
    const name = classifyCycle(cycle.kinds).type;
    if (named.has(name)) continue;
    named.add(name);
    cycles.push(cycle);
  }
  return { cycles, cutShort: false };
}

/** The component as its own graph, nodes renumbered 0..m-1 in component order. */
function subgraph(graph: Graph, component: Int32Array): Graph {
  const localId = new Map<number, number>();
  component.forEach((n, i) => localId.set(n, i));
  const offsets = new Int32Array(component.length + 1);
  const targets: number[] = [];
  const kinds: number[] = [];
  component.forEach((n, i) => {
    for (let e = graph.offsets[n]!; e < graph.offsets[n + 1]!; e++) {
      const t = localId.get(graph.targets[e]!);
      if (t === undefined) continue;
      targets.push(t);
      kinds.push(graph.kinds[e]!);
    }
    offsets[i + 1] = targets.length;
  });
  return { size: component.length, offsets, targets: Int32Array.from(targets), kinds: Uint8Array.from(kinds) };
}

const CLOCK_EVERY = 1024;

function findCycle(graph: Graph, cls: CycleClass, deadline: number): FoundCycle | "cut-short" | undefined {
  const { offsets, targets, kinds } = graph;
  const member = new Int32Array(graph.size).fill(-1);
  const restricted = stronglyConnected(graph, cls.allowed);
  restricted.forEach((c, i) => c.forEach((n) => (member[n] = i)));
  const seen = new Int32Array(graph.size * STATES).fill(-1);
  const parent = new Int32Array(graph.size * STATES);
  const parentKind = new Uint8Array(graph.size * STATES);
  const queue = new Int32Array(graph.size * STATES);
  const key = keyKind(cls);
  let pops = 0;
  for (let start = 0; start < graph.size; start++) {
    const c = member[start]!;
    if (c < 0 || !hasEdge(graph, start, key, member, c)) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start * STATES;
    seen[start * STATES] = start;
    while (head < tail) {
      if (pops++ % CLOCK_EVERY === 0 && performance.now() >= deadline) return "cut-short";
      const at = queue[head++]!;
      const u = Math.floor(at / STATES);
      const state = at % STATES;
      for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
        const w = targets[e]!;
        if (member[w] !== c) continue;
        const usable = kinds[e]! & cls.allowed;
        for (let bit = 1; bit <= usable; bit <<= 1) {
          if ((usable & bit) === 0) continue;
          const next = step(state, bit, cls, head === 1);
          if (next < 0) continue;
          if (w === start) {
            if (accepts(next, cls)) return unwind(at, bit, parent, parentKind, start);
            continue;
          }
          const to = w * STATES + next;
          if (seen[to] === start) continue;
          seen[to] = start;
          parent[to] = at;
          parentKind[to] = bit;
          queue[tail++] = to;
        }
      }
    }
  }
  return undefined;
}

function hasEdge(graph: Graph, node: number, kind: number, member: Int32Array, component: number): boolean {
  for (let e = graph.offsets[node]!; e < graph.offsets[node + 1]!; e++) {
    if ((graph.kinds[e]! & kind) !== 0 && member[graph.targets[e]!] === component) return true;
  }
  return false;
}

/** Follows parent links from the last search state back to the start. */
function unwind(last: number, closing: number, parent: Int32Array, parentKind: Uint8Array, start: number): FoundCycle {
  const nodes: number[] = [];
  const kinds: number[] = [closing];
  let at = last;
  while (at !== start * STATES) {
    nodes.push(Math.floor(at / STATES));
    kinds.push(parentKind[at]!);
    at = parent[at]!;
  }
  nodes.push(start);
  nodes.reverse();
  kinds.reverse();
  return { nodes, kinds };
}
