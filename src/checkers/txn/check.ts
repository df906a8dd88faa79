import type { History } from "../../history/history.ts";
import type { Operation } from "../../history/op.ts";
import { DeadlineWatch, remainingMs } from "../deadline.ts";
import { plural } from "../../history/values.ts";
import type { Budget, CheckerResult, OperationFold, Validity } from "../checker.ts";
import type { Anomaly, AnomalyData, AnomalyType, CycleAnomalyData } from "./anomaly.ts";
import { ansiTable, type AnsiRow } from "./ansi.ts";
import { classifyCycle } from "./classify.ts";
import { componentTask, cycleClasses, searchComponent, type ComponentSearch, type CycleClass } from "./cycles.ts";
import { findDirectAnomalies } from "./direct.ts";
import { explainCycle } from "./explain.ts";
import { isTxnOperation, TxnGatherer, type Gathered } from "./gather.ts";
import { DATA, EdgeList, PROCESS, REALTIME, type Graph } from "./graph.ts";
import { consistencyModelNamed, DEFAULT_MODEL, edgesNeeded, judgeModels, rulesOut, type ConsistencyModel, type ModelJudgement } from "./models.ts";
import { withProse } from "./prose.ts";
import { addProcessOrder, addRealtimeOrder } from "./session-order.ts";
import { stronglyConnected } from "./tarjan.ts";
import { inferencesOn, type TxnWorkload, type VersionInference, type VersionOrder, type WorkloadName } from "./workload.ts";
import { indexWrites, type WriteIndex } from "./writes.ts";
import { FAIL, OK, type TxnTable } from "./table.ts";

/** Wall-clock budget for the cycle search of one strongly connected component. */
const COMPONENT_BUDGET_MS = 10_000;
/** Typical edges per transaction (data plus real-time), to size the edge arrays once. */
const EDGES_PER_TXN = 8;
/** Anomalies kept in the evidence per type; the counts cover all of them. */
const MAX_PER_TYPE = 20;
const MAX_LISTED = 20;

export interface TxnEvidence {
  workload: WorkloadName;
  requestedModel: ConsistencyModel;
  /** Elle's opt-in version-order inferences, each on or off. */
  inference: VersionInference;
  /** How the version order was inferred, and from what. */
  versionOrder: string;
  anomalies: Anomaly[];
  anomalyCounts: Partial<Record<AnomalyType, number>>;
  /** Each type found, how often, and the weakest models it rules out in Elle's lattice (everything stronger falls too). */
  byType: { type: AnomalyType; count: number; rulesOut: ConsistencyModel[] }[];
  models: ModelJudgement;
  ansi: AnsiRow[];
  /** Components whose cycle search ran out of time (the first 20): their size and first operation ids. */
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
  /** Writes of a value already written to the same key: reads of it cannot be traced to one writer. */
  duplicateWrites: number;
  keys: number;
  edges: number;
  /** Strongly connected components of two or more txns, and the largest one's size. */
  components: number;
  largestComponent: number;
  /** Components whose cycle search ran out of time. */
  cutShortComponents: number;
}

export interface TxnOptions extends Budget, Partial<VersionInference> {
  /** The consistency model that decides validity (--consistency-model; strict-serializable by default). */
  consistencyModel?: string;
}

export interface TxnResult extends CheckerResult<TxnEvidence, TxnStats> {
  checker: "txn";
  /** Sorted names of the anomalies found. */
  anomalyTypes: AnomalyType[];
  /** Every model ruled out, weakest first. */
  violatedModels: ConsistencyModel[];
}

/**
 * The whole pipeline: client ops → per-transaction facts → non-cycle anomalies → version order
 * per key → dependency graph → strongly connected components (planTxn) → per component, the
 * shortest cycle of each class (searchComponent, here inline; the `parts` slot lets the runner spread it over
 * threads) → classification, explanation → anomalies → consistency models ruled out (composeTxn).
 */
export function checkTxn(history: History, options: TxnOptions): TxnResult {
  return checkGathered(gatherTxns(history.operations), options);
}

function checkGathered(gathered: Gathered, options: TxnOptions): TxnResult {
  const plan = planTxn(gathered, options);
  return composeTxn(plan, searchInline(plan, options));
}

/** A history's txns in columns, in invocation order. */
export function gatherTxns(operations: readonly Operation[]): Gathered {
  let txns = 0;
  for (const o of operations) if (isTxnOperation(o)) txns++;
  const gatherer = new TxnGatherer(txns);
  for (const o of operations) gatherer.add(o);
  return gatherer.finish();
}

/** The streaming form of checkTxn: operations in any order, each kept only as columns of numbers. */
export class TxnFold implements OperationFold<TxnResult> {
  private readonly gatherer = new TxnGatherer();

  constructor(private readonly options: TxnOptions) {}

  add(operation: Operation): void {
    this.gatherer.add(operation);
  }

  finish(): TxnResult {
    return checkGathered(this.gatherer.finish(), this.options);
  }
}

/** Everything the cycle search needs and everything composeTxn needs besides its results. */
export interface TxnPlan {
  requested: ConsistencyModel;
  workload: TxnWorkload;
  inference: VersionInference;
  table: TxnTable;
  /** Operation ids of txn ops that are not lists of the workload's micro-ops. */
  malformed: number[];
  writes: WriteIndex;
  order: VersionOrder;
  direct: AnomalyData[];
  built: { process: boolean; realtime: boolean };
  graph: Graph;
  components: Int32Array[];
  classes: CycleClass[];
}

export function planTxn({ workload, table, malformed }: Gathered, options: TxnOptions): TxnPlan {
  const requested = consistencyModelNamed(options.consistencyModel ?? DEFAULT_MODEL);
  const inference: VersionInference = { sequentialKeys: options.sequentialKeys === true, linearizableKeys: options.linearizableKeys === true, wfrKeys: options.wfrKeys === true };
  const { deadline } = options;
  // Each step is one pass over every txn: the deadline is read between them, and inside each pass every few thousand txns.
  const watch = new DeadlineWatch(deadline, "building the txn graph", "step", 1);
  const writes = indexWrites(table, deadline);
  watch.tick();
  const order = workload.orderVersions(table, writes, inference, deadline);
  watch.tick();
  const direct = findDirectAnomalies(table, writes, workload, deadline);
  watch.tick();
  const built = edgesNeeded(requested);
  const edges = new EdgeList(table.size * EDGES_PER_TXN);
  order.addDependencies(edges);
  if (built.process) addProcessOrder(edges, table);
  if (built.realtime) addRealtimeOrder(edges, table, deadline);
  watch.tick();
  const graph = edges.toGraph(table.size);
  watch.tick();
  const components = stronglyConnected(graph, DATA | (built.process ? PROCESS : 0) | (built.realtime ? REALTIME : 0), deadline);
  return { requested, workload, inference, table, malformed, writes, order, direct, built, graph, components, classes: cycleClasses(built.process, built.realtime) };
}

/** Each component's search budget: its own, within what is left of the analysis's (--time-limit) when one is set. */
export function componentBudget(options: TxnOptions): () => number {
  const overall = performance.now() + (remainingMs(options.deadline, options.timeLimitMs) ?? Infinity);
  return () => Math.max(0, Math.min(COMPONENT_BUDGET_MS, overall - performance.now()));
}

export function searchInline(plan: TxnPlan, options: TxnOptions): ComponentSearch[] {
  const budget = componentBudget(options);
  return plan.components.map((component) => searchComponent(componentTask(plan.graph, component, plan.classes, budget())));
}

/** Names and explains the cycles found (in each component's local numbering), then judges the models. */
export function composeTxn(plan: TxnPlan, searches: readonly ComponentSearch[]): TxnResult {
  const { requested, workload, inference, table, malformed, writes, order, built, graph, components } = plan;
  const cutShort = searches.filter((s) => s.cutShort).length;
  const cutShortKept: TxnEvidence["cutShort"] = [];
  const cyclic: CycleAnomalyData[] = [];
  searches.forEach((search, i) => {
    const component = components[i]!;
    if (search.cutShort && cutShortKept.length < MAX_LISTED) cutShortKept.push({ size: component.length, ops: [...component.slice(0, MAX_LISTED)].map((t) => table.opId[t]!) });
    for (const found of search.cycles) {
      const nodes = found.nodes.map((n) => component[n]!);
      cyclic.push({ ...classifyCycle(found.kinds), ops: nodes.map((n) => table.opId[n]!), cycle: explainCycle(order, table, nodes, found.kinds) });
    }
  });

  const anomalies: AnomalyData[] = [...order.anomalies, ...plan.direct, ...cyclic];
  const anomalyCounts: Partial<Record<AnomalyType, number>> = {};
  for (const a of anomalies) anomalyCounts[a.type] = (anomalyCounts[a.type] ?? 0) + 1;
  const anomalyTypes = [...new Set(anomalies.map((a) => a.type))].sort();
  const complete = cutShort === 0;
  const models = judgeModels(anomalyTypes, built, complete);
  const untraceable = malformed.length > 0 || writes.duplicateWrites > 0 || table.size === 0;
  const valid: Validity = models.violated.includes(requested) ? false : !complete || untraceable ? "unknown" : true;
  const kept = anomalyTypes.flatMap((t) => anomalies.filter((a) => a.type === t).slice(0, MAX_PER_TYPE).map(withProse));
  const focus = (cyclic[0] ?? anomalies[0])?.ops;
  return {
    checker: "txn",
    valid,
    summary: summarize(valid, requested, workload.name, inferencesOn(inference), anomalyCounts, models, [
      cutShort > 0 ? `the cycle search of ${plural(cutShort, "component")} ran out of time` : "",
      malformed.length > 0 ? `${plural(malformed.length, "txn op")} not a list of micro-ops` : "",
      writes.duplicateWrites > 0 ? `${plural(writes.duplicateWrites, "write")} repeated a value already written to its key, so reads of it cannot be traced` : "",
      table.size === 0 ? "no transactions" : "",
    ], table.size),
    evidence: {
      workload: workload.name,
      requestedModel: requested,
      inference,
      versionOrder: order.inferred,
      anomalies: kept,
      anomalyCounts,
      byType: anomalyTypes.map((type) => ({ type, count: anomalyCounts[type]!, rulesOut: rulesOut(type) })),
      models,
      ansi: ansiTable(anomalies, complete),
      cutShort: cutShortKept,
      malformed: malformed.slice(0, MAX_LISTED),
    },
    stats: {
      transactions: table.size,
      ...outcomes(table),
      malformed: malformed.length,
      duplicateWrites: writes.duplicateWrites,
      keys: writes.keyCount,
      edges: graph.targets.length,
      components: components.length,
      largestComponent: components.reduce((most, c) => Math.max(most, c.length), 0),
      cutShortComponents: cutShort,
    },
    ...(focus ? { focus } : {}),
    anomalyTypes,
    violatedModels: models.violated,
  };
}

function outcomes(table: TxnTable): Pick<TxnStats, "committed" | "aborted" | "indeterminate"> {
  const counts = { committed: 0, aborted: 0, indeterminate: 0 };
  for (const o of table.outcome) counts[o === OK ? "committed" : o === FAIL ? "aborted" : "indeterminate"]++;
  return counts;
}

/** One sentence: what was found, what it rules out, the verdict for the requested model and any reason it is unsure. */
function summarize(valid: Validity, model: ConsistencyModel, workload: WorkloadName, inferences: string[], counts: Partial<Record<AnomalyType, number>>, models: ModelJudgement, caveats: string[], n: number): string {
  const found = Object.entries(counts).map(([t, c]) => (c > 1 ? `${t} ×${c}` : t));
  const anomalies = found.length > 0 ? `found ${found.join(", ")}` : "found no anomalies";
  const ruled = models.weakestViolated.length > 0 ? `; rules out ${models.weakestViolated.join(", ")} and everything stronger` : "";
  const verdict = valid === false ? `${model} is violated` : valid === true ? `${model} holds` : `${model} cannot be confirmed`;
  const why = caveats.filter(Boolean);
  const assuming = inferences.length > 0 && workload === "rw-register" ? ` (assuming ${inferences.join(", ")})` : "";
  return `${n} ${workload} transactions${assuming}: ${anomalies}${ruled}; ${verdict}${why.length > 0 ? ` (${why.join("; ")})` : ""}.`;
}
