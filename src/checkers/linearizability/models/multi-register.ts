import { opName, sameValue, show, unsupported, type LinOp, type Model } from "../model.ts";

/** Register name → value, keys in sorted order so that JSON.stringify is a canonical key. */
type Registers = Readonly<Record<string, unknown>>;
type MicroOp = [f: unknown, key: unknown, value: unknown];

/**
 * Knossos's multi-register: each op is a txn of `[read k v]` / `[write k v]` micro-ops applied
 * atomically. Registers absent from --initial hold nil.
 */
export const multiRegisterModel: Model<Registers> = {
  name: "multi-register",
  description: "registers read and written by atomic txns of [read k v] / [write k v]",
  init: (initial) => sorted(Object.entries(initial ?? {}).map(([k, v]) => [registerName(k), v ?? null])),
  step(state, op) {
    const writes: [string, unknown][] = [];
    for (const [f, k, v] of microOps(op.outcome === "info" ? op.input : op.output)) {
      const name = registerName(k);
      const current = writes.findLast(([w]) => w === name)?.[1] ?? state[name] ?? null;
      if (opName(String(f)) === "write") writes.push([name, v ?? null]);
      else if (op.outcome !== "info" && !sameValue(v, current)) return undefined;
    }
    return writes.length === 0 ? state : sorted([...Object.entries(state), ...writes]);
  },
  key: (state) => JSON.stringify(state),
  describeState: (state) => Object.entries(state).map(([k, v]) => `${k}=${show(v)}`).join(", ") || "all nil",
  reject(op) {
    if (opName(op.f) !== "txn") return unsupported(op, "txn");
    const value = op.outcome === "info" ? op.input : op.output;
    const ok = Array.isArray(value) && value.every((m) => Array.isArray(m) && m.length === 3 && ["read", "write"].includes(opName(String(m[0]))));
    return ok ? undefined : `op ${op.id}: a txn is a list of [read k v] / [write k v], got ${show(value)}`;
  },
  partition: (ops) => connectedByRegisters(ops),
  readOnly: (op) => microOps(op.input).every(([f]) => opName(String(f)) === "read"),
};

function microOps(value: unknown): MicroOp[] {
  return value as MicroOp[];
}

function registerName(key: unknown): string {
  return typeof key === "string" ? opName(key) : JSON.stringify(key);
}

function sorted(entries: [string, unknown][]): Registers {
  const out: Record<string, unknown> = {};
  for (const [k, v] of [...new Map(entries)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
}

/** Txns that share no register (even transitively) are independent: union-find over register names. */
function connectedByRegisters(ops: LinOp[]): LinOp[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const namesOf = (op: LinOp): string[] => microOps(op.input ?? op.output).map(([, k]) => registerName(k));
  for (const op of ops) {
    const names = namesOf(op);
    for (const n of names) if (!parent.has(n)) parent.set(n, n);
    for (const n of names.slice(1)) parent.set(find(n), find(names[0]!));
  }
  const parts = new Map<string, LinOp[]>();
  for (const op of ops) {
    const [first] = namesOf(op);
    const root = first === undefined ? "" : find(first);
    let part = parts.get(root);
    if (!part) parts.set(root, (part = []));
    part.push(op);
  }
  return [...parts.values()];
}
