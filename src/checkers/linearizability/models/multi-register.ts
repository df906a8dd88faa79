import { opName, sameValue, show, type LinOp, type Model } from "../model.ts";

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
  ops: [{ f: "txn", does: "[[read k v] [write k v] …]: atomic reads and writes of named registers" }],
  requires: ["txn"],
  auto: true,
  init: (initial) => sorted(Object.entries(initial ?? {}).map(([k, v]) => [registerName(k), v ?? null])),
  apply(state, op) {
    const writes: [string, unknown][] = [];
    const output: MicroOp[] = [];
    for (const [f, k, v] of microOps(op)) {
      const name = registerName(k);
      const current = writes.findLast(([w]) => w === name)?.[1] ?? state[name] ?? null;
      if (isWrite(f)) writes.push([name, v ?? null]);
      output.push([f, k, isWrite(f) ? v : current]);
    }
    return { next: writes.length === 0 ? state : sorted([...Object.entries(state), ...writes]), output };
  },
  sameOutput: (recorded, returned) => (recorded as MicroOp[]).every(([, , v], i) => sameValue(v, (returned as MicroOp[])[i]![2])),
  key: (state) => JSON.stringify(state),
  describeState: (state) => Object.entries(state).map(([k, v]) => `${k}=${show(v)}`).join(", ") || "all nil",
  rejectValue(op) {
    const value = op.outcome === "ok" ? op.output : op.input;
    const ok = Array.isArray(value) && value.every((m) => Array.isArray(m) && m.length === 3 && ["read", "write"].includes(opName(String(m[0]))));
    if (!ok) return `op ${op.id}: a txn is a list of [read k v] / [write k v], got ${show(value)}`;
    return op.outcome === "ok" && Array.isArray(op.input) && op.input.length !== value.length ? `op ${op.id}: its completion lists other micro-ops than its invocation` : undefined;
  },
  partition: (ops) => connectedByRegisters(ops),
  readOnly: (op) => microOps(op).every(([f]) => !isWrite(f)),
  forgetNilReads(op) {
    if (op.outcome !== "ok") return op;
    // Knossos: a micro-op read of nil matches any value; what is left of the txn is still checked.
    const kept = (op.output as MicroOp[]).flatMap((m, i) => (!isWrite(m[0]) && m[2] == null ? [] : [i]));
    if (kept.length === (op.output as MicroOp[]).length) return op;
    if (kept.length === 0) return undefined;
    const pick = (value: unknown): MicroOp[] | undefined => (Array.isArray(value) ? kept.map((i) => (value as MicroOp[])[i]!) : undefined);
    return { ...op, input: pick(op.input), output: pick(op.output) };
  },
};

/** The txn's micro-ops: as completed when known, else as invoked. */
function microOps(op: LinOp): MicroOp[] {
  return ((op.outcome === "ok" ? op.output : op.input) ?? op.output) as MicroOp[];
}

function isWrite(f: unknown): boolean {
  return opName(String(f)) === "write";
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
  const namesOf = (op: LinOp): string[] => microOps(op).map(([, k]) => registerName(k));
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
