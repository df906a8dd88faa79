import { DeadlineWatch, type Deadline } from "../deadline.ts";
import type { Graph } from "./graph.ts";

/**
 * Strongly connected components by Tarjan's algorithm, iterative (an explicit stack of
 * (node, next edge) frames) so that a million-node chain cannot overflow the call stack.
 * Only edges whose kinds intersect `mask` count. Returns the components of two or more nodes,
 * the only ones that can hold a cycle (there are no self-edges).
 */
export function stronglyConnected(graph: Graph, mask: number, deadline?: Deadline): Int32Array[] {
  const watch = new DeadlineWatch(deadline, "finding the txn graph's strongly connected components", "transaction");
  const { size, offsets, targets, kinds } = graph;
  const index = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const stack = new Int32Array(size);
  const frameNode = new Int32Array(size);
  const frameEdge = new Int32Array(size);
  let stackTop = 0;
  let next = 0;
  const components: Int32Array[] = [];
  for (let root = 0; root < size; root++) {
    watch.tick();
    if (index[root] !== -1) continue;
    let depth = 0;
    frameNode[0] = root;
    frameEdge[0] = offsets[root]!;
    index[root] = low[root] = next++;
    stack[stackTop++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = frameNode[depth]!;
      let e = frameEdge[depth]!;
      let descended = false;
      for (; e < offsets[v + 1]!; e++) {
        if ((kinds[e]! & mask) === 0) continue;
        const w = targets[e]!;
        if (index[w] === -1) {
          frameEdge[depth] = e + 1;
          depth++;
          frameNode[depth] = w;
          frameEdge[depth] = offsets[w]!;
          index[w] = low[w] = next++;
          stack[stackTop++] = w;
          onStack[w] = 1;
          descended = true;
          break;
        }
        if (onStack[w] && index[w]! < low[v]!) low[v] = index[w]!;
      }
      if (descended) continue;
      if (low[v] === index[v]) {
        let count = 0;
        while (stack[stackTop - 1 - count] !== v) count++;
        count++;
        for (let i = stackTop - count; i < stackTop; i++) onStack[stack[i]!] = 0;
        // Most components are single txns: only the others are copied out.
        if (count > 1) components.push(stack.slice(stackTop - count, stackTop));
        stackTop -= count;
      }
      depth--;
      if (depth >= 0) {
        const parent = frameNode[depth]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
    }
  }
  return components;
}
