import { UsageError } from "../../history/errors.ts";

/**
 * Consistency models as a lattice (each maps to the weaker models it implies), after Elle's
 * graph of Adya, Bailis, Cerone and Crooks: read-uncommitted < read-committed < (cursor
 * stability, consistent view, repeatable read, snapshot isolation) < serializable < strict
 * serializable, with the atomic-visibility and session models Elle also names.
 */
const IMPLIES = {
  "read-uncommitted": [],
  "read-committed": ["read-uncommitted"],
  "monotonic-atomic-view": ["read-committed"],
  "cursor-stability": ["read-committed"],
  "read-atomic": ["monotonic-atomic-view"],
  "update-atomic": ["read-atomic"],
  "consistent-view": ["cursor-stability"],
  "repeatable-read": ["cursor-stability", "monotonic-atomic-view"],
  "snapshot-isolation": ["consistent-view", "update-atomic"],
  serializable: ["repeatable-read", "snapshot-isolation"],
  "strong-session-snapshot-isolation": ["snapshot-isolation"],
  "strong-session-serializable": ["serializable", "strong-session-snapshot-isolation"],
  "strong-snapshot-isolation": ["strong-session-snapshot-isolation"],
  "strict-serializable": ["strong-session-serializable", "strong-snapshot-isolation"],
} as const satisfies Record<string, readonly string[]>;

export type ConsistencyModel = keyof typeof IMPLIES;

export const MODELS = Object.keys(IMPLIES) as ConsistencyModel[];

export const DEFAULT_MODEL: ConsistencyModel = "strict-serializable";

/** The --consistency-model named; a usage error for a name that is not in the lattice. */
export function consistencyModelNamed(name: string): ConsistencyModel {
  if (!Object.hasOwn(IMPLIES, name)) throw new UsageError(`unknown consistency model "${name}"; expected one of: ${MODELS.join(", ")}`);
  return name as ConsistencyModel;
}

/** The model and every model it implies. */
function andWeaker(model: ConsistencyModel): Set<ConsistencyModel> {
  const out = new Set<ConsistencyModel>([model]);
  for (const m of out) for (const w of IMPLIES[m]) out.add(w);
  return out;
}

/** Order edges a model's anomalies need in the graph: session models need process order, strong ones real time. */
export function edgesNeeded(model: ConsistencyModel): { process: boolean; realtime: boolean } {
  const weaker = andWeaker(model);
  return {
    process: weaker.has("strong-session-snapshot-isolation"),
    realtime: weaker.has("strong-snapshot-isolation") || model === "strict-serializable",
  };
}

/** The weakest models an anomaly rules out (everything stronger falls with them). */
const RULES_OUT: Record<string, readonly ConsistencyModel[]> = {
  G0: ["read-uncommitted"],
  "duplicate-elements": ["read-uncommitted"],
  G1a: ["read-committed"],
  G1b: ["read-committed"],
  G1c: ["read-committed"],
  "dirty-update": ["read-committed"],
  "incompatible-order": ["read-committed"],
  internal: ["read-atomic"],
  "future-read": ["read-atomic"],
  "lost-update": ["cursor-stability", "update-atomic"],
  "G-single": ["consistent-view", "repeatable-read"],
  "G-nonadjacent": ["snapshot-isolation", "repeatable-read"],
  "G2-item": ["repeatable-read"],
};

/** A -process cycle breaks session guarantees; a -realtime one breaks the strong (real-time) models. */
export function rulesOut(anomaly: string): readonly ConsistencyModel[] {
  const variant = /^(.*)-(process|realtime)$/.exec(anomaly);
  if (!variant) return RULES_OUT[anomaly] ?? [];
  const [, base, order] = variant;
  if (order === "process") return base === "G2-item" ? ["strong-session-serializable"] : ["strong-session-snapshot-isolation"];
  return base === "G2-item" ? ["strict-serializable"] : ["strong-snapshot-isolation"];
}

export interface ModelJudgement {
  /** Every model some anomaly rules out, weakest first. */
  violated: ConsistencyModel[];
  /** The weakest of those: what a reader needs to know. */
  weakestViolated: ConsistencyModel[];
  /** Models nothing found rules out, and that the search was able to check in full. */
  holding: ConsistencyModel[];
  /** Models neither ruled out nor confirmed: their edges were not built, or a search was cut short. */
  unchecked: ConsistencyModel[];
}

export function judgeModels(anomalyTypes: readonly string[], built: { process: boolean; realtime: boolean }, complete: boolean): ModelJudgement {
  const ruledOut = new Set(anomalyTypes.flatMap(rulesOut));
  const violated = MODELS.filter((m) => [...andWeaker(m)].some((w) => ruledOut.has(w)));
  const weakestViolated = violated.filter((m) => IMPLIES[m].every((w) => !violated.includes(w)));
  const rest = MODELS.filter((m) => !violated.includes(m));
  const checkable = (m: ConsistencyModel): boolean => {
    const needs = edgesNeeded(m);
    return complete && (!needs.process || built.process) && (!needs.realtime || built.realtime);
  };
  return { violated, weakestViolated, holding: rest.filter(checkable), unchecked: rest.filter((m) => !checkable(m)) };
}
