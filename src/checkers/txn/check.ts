import type { History } from "../../history/history.ts";
import { isClientProcess } from "../../history/op.ts";
import type { CheckerDefinition, CheckerResult, CheckOptions, Validity } from "../checker.ts";
import type { Anomaly } from "./anomaly.ts";
import { ansiTable, type AnsiRow } from "./ansi.ts";
import { classifyCycle } from "./classify.ts";
import { cycleClasses, searchComponent, type FoundCycle } from "./cycles.ts";
import { addDependencies } from "./dependencies.ts";
import { findDirectAnomalies } from "./direct.ts";
import { explainCycle } from "./explain.ts";
import { collectFacts, type Txn, type Workload } from "./facts.ts";
import { DATA, EdgeList, PROCESS, REALTIME } from "./graph.ts";
import { DEFAULT_MODEL, edgesNeeded, isModel, judgeModels, MODELS, type ConsistencyModel, type ModelJudgement } from "./models.ts";
import { addProcessOrder, addRealtimeOrder } from "./session-order.ts";
import { stronglyConnected } from "./tarjan.ts";
import { inferVersionOrder } from "./version-order.ts";
import { cycleNotation } from "./text.ts";
import { indexWrites } from "./writes.ts";

/** Wall-clock budget for the cycle search of one strongly connected component. */
export const COMPONENT_BUDGET_MS = 10_000;
/** Typical edges per transaction (data plus real-time), to size the edge arrays once. */
const EDGES_PER_TXN = 8;
/** Anomalies kept in the evidence per type; the counts cover all of them. */
const MAX_PER_TYPE = 20;
const MAX_LISTED = 20;

export interface TxnEvidence {
  workload: Workload;
  requestedModel: ConsistencyModel;
  /** How the version order was inferred, and from what. */
  versionOrder: string;
  anomalies: Anomaly[];
  anomalyCounts: Record<string, number>;
  models: ModelJudgement;
  ansi: AnsiRow[];
  /** Components whose cycle search ran out of time: their size and first operation ids. */
  cutShort: { size: number; ops: number[] }[];
  /** Operation ids of txn ops that are not lists of micro-ops (first few). */
  malformed: number[];
}

export interface TxnStats {
  transactions: number;
  committed: number;
  aborted: number;
  indeterminate: number;
  malformed: number;
  keys: number;
  edges: number;
  /** Strongly connected components of two or more txns, and the largest one's size. */
  components: number;
  largestComponent: number;
}

export interface TxnResult extends CheckerResult<TxnEvidence, TxnStats> {
  /** Sorted names of the anomalies found. */
  anomalyTypes: string[];
  /** Every model ruled out, weakest first. */
  violatedModels: ConsistencyModel[];
}

export const txnChecker: CheckerDefinition = {
  name: "txn",
  description: "transactional anomalies (Adya G0–G2, ANSI P0–P4) and the consistency models they rule out, Elle-style",
  appliesBecause(history) {
    const n = history.operations.filter((o) => o.f === "txn" && isClientProcess(o.process)).length;
    return n > 0 ? `${n} operations with f "txn"` : undefined;
  },
  check: checkTxn,
};

/**
 * The whole pipeline: client ops → per-transaction facts → non-cycle anomalies → version order
 * per key → dependency graph → strongly connected components → per component, the shortest
 * cycle of each class → classification → anomalies → consistency models ruled out.
 */
export function checkTxn(history: History, options: CheckOptions): TxnResult {
  const requested = requestedModel(options.consistencyModel);
  const facts = collectFacts(history);
  const { txns } = facts;
  const writes = indexWrites(txns);
  const order = inferVersionOrder(facts.workload, txns);
  const direct = findDirectAnomalies(txns, writes, order);

  const built = edgesNeeded(requested);
  const edges = new EdgeList(txns.length * EDGES_PER_TXN);
  addDependencies(edges, txns, writes, order);
  if (built.process) addProcessOrder(edges, txns);
  if (built.realtime) addRealtimeOrder(edges, txns);
  const graph = edges.toGraph(txns.length);
  const components = stronglyConnected(graph, DATA | (built.process ? PROCESS : 0) | (built.realtime ? REALTIME : 0));

  const classes = cycleClasses(built.process, built.realtime);
  // Each component gets its own budget, within the checker's (--time-limit) when one is set.
  const overall = options.timeLimitMs === undefined ? Infinity : performance.now() + options.timeLimitMs;
  const found: FoundCycle[] = [];
  const cutShort: TxnEvidence["cutShort"] = [];
  for (const component of components) {
    const search = searchComponent(graph, component, classes, Math.min(performance.now() + COMPONENT_BUDGET_MS, overall));
    found.push(...search.cycles);
    if (search.cutShort) cutShort.push({ size: component.length, ops: [...component.slice(0, MAX_LISTED)].map((t) => txns[t]!.op.id) });
  }
  const cyclic: Anomaly[] = found.map((c) => {
    const cycle = explainCycle({ txns, writes, order }, c.nodes, c.kinds);
    const type = classifyCycle(c.kinds);
    return { type, ops: c.nodes.map((n) => txns[n]!.op.id), explanation: `${type}: ${cycleNotation(cycle)}. ${cycle.map((s) => s.explanation).join(" ")}`, cycle };
  });

  const anomalies = [...order.anomalies, ...direct, ...cyclic];
  const anomalyCounts: Record<string, number> = {};
  for (const a of anomalies) anomalyCounts[a.type] = (anomalyCounts[a.type] ?? 0) + 1;
  const anomalyTypes = Object.keys(anomalyCounts).sort();
  const complete = cutShort.length === 0;
  const models = judgeModels(anomalyTypes, built, complete);
  const valid: Validity = models.violated.includes(requested) ? false : !complete || facts.malformed.length > 0 || txns.length === 0 ? "unknown" : true;
  const kept = anomalyTypes.flatMap((t) => anomalies.filter((a) => a.type === t).slice(0, MAX_PER_TYPE));
  const focus = (cyclic[0] ?? anomalies[0])?.ops;
  return {
    checker: "txn",
    valid,
    summary: summarize(valid, requested, facts.workload, txns.length, anomalyCounts, models, cutShort.length, facts.malformed.length),
    evidence: {
      workload: facts.workload,
      requestedModel: requested,
      versionOrder: order.inferred,
      anomalies: kept,
      anomalyCounts,
      models,
      ansi: ansiTable(anomalies, complete),
      cutShort,
      malformed: facts.malformed.slice(0, MAX_LISTED),
    },
    stats: {
      transactions: txns.length,
      ...outcomes(txns),
      malformed: facts.malformed.length,
      keys: writes.byKey.size,
      edges: graph.targets.length,
      components: components.length,
      largestComponent: Math.max(0, ...components.map((c) => c.length)),
    },
    ...(focus ? { focus } : {}),
    anomalyTypes,
    violatedModels: models.violated,
  };
}

function outcomes(txns: readonly Txn[]): Pick<TxnStats, "committed" | "aborted" | "indeterminate"> {
  const counts = { committed: 0, aborted: 0, indeterminate: 0 };
  for (const t of txns) counts[t.outcome === "ok" ? "committed" : t.outcome === "fail" ? "aborted" : "indeterminate"]++;
  return counts;
}

function requestedModel(name: string | undefined): ConsistencyModel {
  const model = name ?? DEFAULT_MODEL;
  if (!isModel(model)) throw new Error(`unknown consistency model "${model}"; expected one of: ${MODELS.join(", ")}`);
  return model;
}

function summarize(valid: Validity, model: ConsistencyModel, workload: Workload, n: number, counts: Record<string, number>, models: ModelJudgement, cutShort: number, malformed: number): string {
  const found = Object.entries(counts).map(([t, c]) => (c > 1 ? `${t} ×${c}` : t));
  const anomalies = found.length > 0 ? `found ${found.join(", ")}` : "found no anomalies";
  const ruled = models.weakestViolated.length > 0 ? `; rules out ${models.weakestViolated.join(", ")} and everything stronger` : "";
  const verdict = valid === false ? `${model} is violated` : valid === true ? `${model} holds` : `${model} cannot be confirmed`;
  const why = [cutShort > 0 ? `the cycle search of ${cutShort} component${cutShort > 1 ? "s" : ""} ran out of time` : "", malformed > 0 ? `${malformed} txn op${malformed > 1 ? "s are" : " is"} not a list of micro-ops` : "", n === 0 ? "no transactions" : ""].filter(Boolean);
  return `${n} ${workload} transactions: ${anomalies}${ruled}; ${verdict}${why.length > 0 ? ` (${why.join("; ")})` : ""}.`;
}
