import { partitionBy, show, stateKey, valueKey, type Effect, type LinOp, type Model } from "../model.ts";

/** Written keys' values (sorted keys, so JSON is canonical), and what unwritten keys hold. */
interface Keyed {
  readonly initial: unknown;
  readonly values: Readonly<Record<string, unknown>>;
}

/** The one-value model each key holds: a Model's declarations, over one key's value. */
export type OneValueModel = Pick<Model<unknown>, "name" | "description" | "ops" | "requires" | "auto" | "apply" | "sameOutput" | "readOnly" | "rejectValue" | "forgetNilReads" | "failedObserves" | "grows"> & {
  /** Every key's value before it is written, when --initial is not given. */
  defaultInitial: unknown;
  /** Whether a key's ops can be a plain read/write register (see Model.registerInitial). */
  register?: boolean;
};

/**
 * Lifts a one-value model to a map of independent keys (the invocation's `key` field),
 * partitioned by key: each part then holds one key, so its states are tiny.
 */
export function perKey(inner: OneValueModel): Model<Keyed> {
  const keyOf = (op: LinOp): string => String(valueKey(op.key));
  const { defaultInitial, register, apply, grows, ...declared } = inner;
  const registerInitial = register ? (initial: unknown): unknown => initial ?? defaultInitial : undefined;
  return {
    ...declared,
    // A part holds one key: checked as that key's value alone, its states are plain values (no map to build and stringify per state).
    perPart: {
      ...declared,
      init: (initial) => initial ?? defaultInitial,
      apply,
      key: stateKey,
      describeState: show,
      registerInitial,
      grows,
    },
    keyed: true,
    init: (initial) => ({ initial: initial ?? defaultInitial, values: {} }),
    apply(state, op): Effect<Keyed> | undefined {
      const k = keyOf(op);
      const effect = apply(k in state.values ? state.values[k] : state.initial, op);
      if (effect === undefined) return undefined;
      const values: Record<string, unknown> = {};
      for (const key of Object.keys({ ...state.values, [k]: 0 }).sort()) values[key] = key === k ? effect.next : state.values[key];
      const next = { initial: state.initial, values };
      return "output" in effect ? { next, output: effect.output } : { next };
    },
    key: (state) => JSON.stringify(state),
    describeState: (state) => Object.entries(state.values).map(([k, v]) => `${k}=${show(v)}`).join(", ") || `every key holds ${show(state.initial)}`,
    partition: (ops) => partitionBy(ops, (op) => op.key),
    // Each part holds one key, so a part of reads and writes is one register.
    registerInitial,
  };
}
