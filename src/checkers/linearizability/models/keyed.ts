import { partitionBy, show, valueKey, type LinOp, type Model } from "../model.ts";

/** Written keys' values (sorted keys, so JSON is canonical), and what unwritten keys hold. */
interface Keyed {
  readonly initial: unknown;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface OneValueModel {
  name: string;
  description: string;
  /** Every key's value before it is written, when --initial is not given. */
  defaultInitial: unknown;
  step(value: unknown, op: LinOp): unknown;
  reject(op: LinOp): string | undefined;
  /** Whether a key's ops can be a plain read/write register (see Model.registerInitial). */
  register?: boolean;
  readOnly(op: LinOp): boolean;
}

/**
 * Lifts a one-value model to a map of independent keys (the invocation's `key` field),
 * partitioned by key: each part then holds one key, so its states are tiny.
 */
export function perKey(inner: OneValueModel): Model<Keyed> {
  const keyOf = (op: LinOp): string => String(valueKey(op.key));
  return {
    name: inner.name,
    description: inner.description,
    init: (initial) => ({ initial: initial ?? inner.defaultInitial, values: {} }),
    step(state, op) {
      const k = keyOf(op);
      const next = inner.step(k in state.values ? state.values[k] : state.initial, op);
      if (next === undefined) return undefined;
      const values: Record<string, unknown> = {};
      for (const key of Object.keys({ ...state.values, [k]: 0 }).sort()) values[key] = key === k ? next : state.values[key];
      return { initial: state.initial, values };
    },
    key: (state) => JSON.stringify(state),
    describeState: (state) => Object.entries(state.values).map(([k, v]) => `${k}=${show(v)}`).join(", ") || `every key holds ${show(state.initial)}`,
    reject: (op) => (op.key === undefined ? `op ${op.id} has no key; ${inner.name} ops carry one` : inner.reject(op)),
    partition: (ops) => partitionBy(ops, (op) => op.key),
    // Each part holds one key, so a part of reads and writes is one register.
    readOnly: inner.readOnly,
    registerInitial: inner.register ? (initial) => initial ?? inner.defaultInitial : undefined,
  };
}
