import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { checkLinearizable } from "../../../src/checkers/linearizability/linearizable.ts";
import { historyOf, random, type Rec } from "../../support/lin-histories.ts";

/** A sequential object: what an op does to the state, what it returns, and whether it succeeded (a failed op changes nothing). */
interface Sequential {
  initial: unknown;
  invent(r: () => number): { f: string; input?: unknown; key?: unknown };
  apply(state: unknown, op: { f: string; input?: unknown; key?: unknown }): { state: unknown; output?: unknown; ok: boolean };
}

const pick = (r: () => number, n: number): number => Math.floor(r() * n);

const OBJECTS: Record<string, Sequential> = {
  "cas-register": {
    initial: 0,
    invent: (r) => [{ f: "read" }, { f: "write", input: pick(r, 4) }, { f: "cas", input: [pick(r, 4), pick(r, 4)] }][pick(r, 3)]!,
    apply(state, op) {
      if (op.f === "read") return { state, output: state, ok: true };
      if (op.f === "write") return { state: op.input, ok: true };
      const [expected, next] = op.input as [number, number];
      return state === expected ? { state: next, ok: true } : { state, ok: false };
    },
  },
  mutex: {
    initial: false,
    invent: (r) => ({ f: r() < 0.5 ? "acquire" : "release" }),
    apply: (held, op) => (op.f === "acquire" ? (held ? { state: held, ok: false } : { state: true, ok: true }) : held ? { state: false, ok: true } : { state: held, ok: false }),
  },
  "fifo-queue": {
    initial: [],
    invent: (r) => (r() < 0.5 ? { f: "enqueue", input: pick(r, 5) } : { f: "dequeue" }),
    apply(queue, op) {
      const q = queue as number[];
      if (op.f === "enqueue") return { state: [...q, op.input], ok: true };
      return { state: q.slice(1), output: q[0] ?? null, ok: true };
    },
  },
  set: {
    initial: [],
    invent: (r) => [{ f: "add", input: pick(r, 5) }, { f: "remove", input: pick(r, 5) }, { f: "read" }][pick(r, 3)]!,
    apply(set, op) {
      const s = set as number[];
      if (op.f === "read") return { state: s, output: [...s].sort(), ok: true };
      return { state: op.f === "add" ? [...new Set([...s, op.input as number])] : s.filter((x) => x !== op.input), ok: true };
    },
  },
  "kv-append": {
    initial: {},
    invent: (r) => ({ ...[{ f: "get" }, { f: "put", input: `${pick(r, 9)}` }, { f: "append", input: `${pick(r, 9)}` }][pick(r, 3)]!, key: pick(r, 3) }),
    apply(kv, op) {
      const map = kv as Record<string, string>;
      const key = String(op.key);
      const current = map[key] ?? "";
      if (op.f === "get") return { state: map, output: current, ok: true };
      return { state: { ...map, [key]: op.f === "put" ? (op.input as string) : current + (op.input as string) }, ok: true };
    },
  },
};

/**
 * Runs `object` under random concurrency: each op takes effect atomically at a random moment
 * between its invocation and completion; some processes crash (info) before or after the effect,
 * and a few ops are still open at the end. Such a history is linearizable by construction.
 */
function simulate(object: Sequential, seed: number, ops: number, processes: number): Rec[] {
  const r = random(seed);
  type Pending = { op: ReturnType<Sequential["invent"]>; applied?: { output?: unknown; ok: boolean } };
  const pending = new Map<number, Pending>();
  const ids = Array.from({ length: processes }, (_, i) => i);
  let nextId = processes;
  let state = object.initial;
  let invoked = 0;
  const records: Rec[] = [];
  for (let step = 0; step < ops * 6 && (invoked < ops || pending.size > 0); step++) {
    const slot = pick(r, processes);
    const process = ids[slot]!;
    const p = pending.get(process);
    if (!p) {
      if (invoked >= ops) continue;
      const op = object.invent(r);
      records.push([process, "invoke", op.f, op.input, op.key]);
      pending.set(process, { op });
      invoked++;
    } else if (!p.applied && r() < 0.6) {
      const result = object.apply(state, p.op);
      state = result.state;
      p.applied = { output: result.output, ok: result.ok };
    } else if (r() < 0.1) {
      // crashed, before or after its effect: the outcome is unknown; the process is replaced
      records.push([process, "info", p.op.f, p.op.input, p.op.key]);
      pending.delete(process);
      ids[slot] = nextId++;
    } else if (p.applied) {
      records.push([process, p.applied.ok ? "ok" : "fail", p.op.f, p.applied.output ?? p.op.input, p.op.key]);
      pending.delete(process);
    }
  }
  return records;
}

for (const [name, object] of Object.entries(OBJECTS)) {
  test(`${name}: histories of a sequential object under random concurrency are linearizable`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 5 }), (seed, processes) => {
        const result = checkLinearizable(historyOf(simulate(object, seed, 30, processes)), { model: name, initial: name === "cas-register" ? 0 : undefined });
        assert.equal(result.valid, true, result.summary);
      }),
      { numRuns: 60, seed: 3 },
    );
  });
}
