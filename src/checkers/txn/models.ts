import { UsageError } from "../../history/errors.ts";
import type { AnomalyType } from "./anomaly.ts";

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

/*
 * Elle's anomaly lattice (consistency_model.clj): finding an anomaly also finds each anomaly it
 * implies (a more general one), and each model directly proscribes a few anomalies. G1 and G2
 * (any cycle with an anti-dependency) are never reported, only implied.
 */
type Implied = AnomalyType | "G1" | "G2" | "G2-process" | "G2-realtime";

const IMPLIED_ANOMALIES: Record<Implied, readonly Implied[]> = {
  G0: ["G1c", "G0-process"],
  "G0-process": ["G1c-process", "G0-realtime"],
  "G0-realtime": ["G1c-realtime"],
  G1a: ["G1"],
  G1b: ["G1"],
  G1c: ["G1", "G1c-process"],
  "G1c-process": ["G1c-realtime"],
  "G1c-realtime": [],
  G1: [],
  // A single anti-dependency is never adjacent to another: G-single ⊂ G-nonadjacent ⊂ G2-item ⊂ G2.
  "G-single": ["G-nonadjacent", "G-single-process"],
  "G-single-process": ["G-nonadjacent-process", "G-single-realtime"],
  "G-single-realtime": ["G-nonadjacent-realtime"],
  "G-nonadjacent": ["G2-item", "G-nonadjacent-process"],
  "G-nonadjacent-process": ["G2-item-process", "G-nonadjacent-realtime"],
  "G-nonadjacent-realtime": ["G2-item-realtime"],
  "G2-item": ["G2", "G2-item-process"],
  "G2-item-process": ["G2-process", "G2-item-realtime"],
  "G2-item-realtime": ["G2-realtime"],
  G2: ["G2-process"],
  "G2-process": ["G2-realtime"],
  "G2-realtime": [],
  // Reading one's own future write is a cycle of information flow: Elle maps it to G1c.
  "future-read": ["G1c"],
  // The aborted element is in a committed read of the key: an aborted read.
  "dirty-update": ["G1a"],
  internal: [],
  "duplicate-elements": [],
  "incompatible-order": [],
  "cyclic-versions": [],
  "lost-update": [],
};

/** The anomalies each model directly proscribes (everything stronger proscribes them too). */
const PROSCRIBES: Partial<Record<ConsistencyModel, readonly Implied[]>> = {
  "read-uncommitted": ["G0", "duplicate-elements"],
  // No order of a key's versions (Adya's version order) exists: reads disagree, or the inferred order loops.
  "read-committed": ["G1", "incompatible-order", "cyclic-versions"],
  "read-atomic": ["internal"],
  "cursor-stability": ["lost-update"],
  "update-atomic": ["lost-update"],
  "consistent-view": ["G-single"],
  "repeatable-read": ["G2-item"],
  "snapshot-isolation": ["G-nonadjacent"],
  serializable: ["G2"],
  "strong-session-snapshot-isolation": ["G1c-process", "G-nonadjacent-process"],
  "strong-session-serializable": ["G2-process"],
  "strong-snapshot-isolation": ["G1c-realtime", "G-nonadjacent-realtime"],
  "strict-serializable": ["G2-realtime"],
};

/** The anomaly and every anomaly it implies. */
export function impliedBy(anomaly: AnomalyType): Set<Implied> {
  const out = new Set<Implied>([anomaly]);
  for (const a of out) for (const b of IMPLIED_ANOMALIES[a]) out.add(b);
  return out;
}

/** Every model some found anomaly rules out (directly or through a weaker model it implies), weakest first. */
function violatedBy(anomalies: readonly AnomalyType[]): ConsistencyModel[] {
  const found = new Set(anomalies.flatMap((a) => [...impliedBy(a)]));
  const direct = (m: ConsistencyModel): boolean => (PROSCRIBES[m] ?? []).some((a) => found.has(a));
  return MODELS.filter((m) => [...andWeaker(m)].some(direct));
}

function weakest(violated: readonly ConsistencyModel[]): ConsistencyModel[] {
  return violated.filter((m) => IMPLIES[m].every((w) => !violated.includes(w)));
}

/** The weakest models an anomaly rules out (everything stronger falls with them). */
export function rulesOut(anomaly: AnomalyType): ConsistencyModel[] {
  return weakest(violatedBy([anomaly]));
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

export function judgeModels(anomalyTypes: readonly AnomalyType[], built: { process: boolean; realtime: boolean }, complete: boolean): ModelJudgement {
  const violated = violatedBy(anomalyTypes);
  const weakestViolated = weakest(violated);
  const rest = MODELS.filter((m) => !violated.includes(m));
  const checkable = (m: ConsistencyModel): boolean => {
    const needs = edgesNeeded(m);
    return complete && (!needs.process || built.process) && (!needs.realtime || built.realtime);
  };
  return { violated, weakestViolated, holding: rest.filter(checkable), unchecked: rest.filter((m) => !checkable(m)) };
}
