import type { NamedResult } from "../checker.ts";
import type { History } from "../../history/history.ts";
import type { Operation } from "../../history/op.ts";
import { show } from "./model.ts";
import { checkPart, type PartResult, type Violation } from "./part.ts";
import { planLinearizability, type LinearizabilityPlan, type LinearizableOptions } from "./plan.ts";

export interface LinearizableEvidence {
  model: string;
  /** Why this model (--model, or what auto inferred). */
  modelReason: string;
  initial: unknown;
  parts: number;
  violation?: Violation & {
    part: string;
    method: PartResult["method"];
    /** Ops whose interval overlaps the culprit's. */
    concurrent: number[];
    /** "the read of 3 by process 12 at index 217". */
    culpritText: string;
  };
  /** Parts the search could not decide, and why. */
  undecided: { part: string; reason: string }[];
}

export interface LinearizableStats {
  operations: number;
  failedRemoved: number;
  unknownReadsRemoved: number;
  parts: number;
  partsChecked: number;
  byFastPath: number;
  bySearch: number;
  searchSteps: number;
  configurations: number;
}

/** Checks every part inline, in order, stopping at the first violation. */
/** Decided from the parts, or `{reason}` when nothing could be checked (no model fits). */
export type LinearizableResult = NamedResult<"linearizable", LinearizableEvidence | { reason: string }, Partial<LinearizableStats>>;

export function checkLinearizable(history: History, options: LinearizableOptions): LinearizableResult {
  const plan = planLinearizability(history, options);
  if (typeof plan === "string") return { checker: "linearizable", valid: "unknown", summary: plan, evidence: { reason: plan }, stats: {} };
  const results: PartResult[] = [];
  for (const task of plan.tasks) {
    const result = checkPart(task);
    results.push(result);
    if (result.valid === false) break;
  }
  return composeLinearizable(history, plan, results);
}

/** The checker's result from its parts' results, however they were run (inline or on workers). */
export function composeLinearizable(history: History, plan: LinearizabilityPlan, results: PartResult[]): NamedResult<"linearizable", LinearizableEvidence, LinearizableStats> {
  const failed = results.find((r) => r.valid === false);
  const undecided = results.flatMap((r) => (r.valid === "unknown" ? [{ part: r.label, reason: `${r.reason} after ${r.stats.steps} search steps (at most ${r.stats.deepest} of ${plan.tasks.find((t) => t.label === r.label)!.ops.length} ops linearized)` }] : []));
  const evidence: LinearizableEvidence = { model: plan.choice.model.name, modelReason: plan.choice.reason, initial: plan.initial ?? null, parts: plan.tasks.length, undecided };
  const stats: LinearizableStats = {
    operations: plan.ops.length,
    failedRemoved: plan.failed,
    unknownReadsRemoved: plan.unknownReads,
    parts: plan.tasks.length,
    partsChecked: results.length,
    byFastPath: results.filter((r) => r.method === "fast-path").length,
    bySearch: results.filter((r) => r.method === "search").length,
    searchSteps: results.reduce((s, r) => s + (r.stats?.steps ?? 0), 0),
    configurations: results.reduce((s, r) => s + (r.stats?.configurations ?? 0), 0),
  };
  const base = { checker: "linearizable" as const, evidence, stats };
  const partsText = plan.tasks.length === 1 ? "" : ` (${plan.tasks.length} independent parts)`;
  if (failed?.valid === false) {
    const byId = new Map(history.operations.map((o) => [o.id, o]));
    const culprit = byId.get(failed.violation.culprit)!;
    const concurrent = plan.ops.filter((o) => o.id !== culprit.id && o.call < culprit.ret && culprit.call < o.ret).map((o) => o.id);
    const culpritText = describeOperation(culprit);
    evidence.violation = { ...failed.violation, part: failed.label, method: failed.method, concurrent, culpritText };
    return { ...base, valid: false, summary: violationSentence(plan.choice.model.name, failed.violation, culpritText, partsText), focus: [culprit.id, ...concurrent] };
  }
  if (undecided.length > 0 || results.length < plan.tasks.length) {
    return { ...base, valid: "unknown", summary: `not decided${partsText}: ${undecided.map((u) => `${u.part}: ${u.reason}`).join("; ")}` };
  }
  const fast = stats.byFastPath === results.length ? " by the unique-value fast path" : "";
  return { ...base, valid: true, summary: `linearizable as a ${plan.choice.model.name}${partsText}${fast}: all ${plan.ops.length} ops that may have taken effect fit one order.` };
}

/** "the read of 3 by process 12 at index 217". */
export function describeOperation(o: Operation): string {
  const value = o.outcome === "ok" && o.output !== undefined ? o.output : o.input;
  const key = o.invoke.key !== undefined ? ` on key ${show(o.invoke.key)}` : "";
  return `the ${o.f.replace(/^:/, "")} of ${show(value)}${key} by process ${String(o.process)} at index ${o.completeIndex ?? o.invokeIndex}`;
}

function violationSentence(model: string, v: Violation, culpritText: string, partsText: string): string {
  const before = v.prefix.length;
  const states = v.states.length === 0 ? "" : `: after the ${before} op${before === 1 ? "" : "s"} before it the ${model} can only hold ${orList(v.states)}`;
  const why = v.reason ? ` (${v.reason})` : "";
  return `not linearizable${partsText}: ${culpritText} cannot be linearized${why}${states}.`;
}

/** "a", "a or b", "a, b or c". */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
