import type { NamedResult, OperationFold } from "../checker.ts";
import type { History } from "../../history/history.ts";
import type { Operation, ProcessId } from "../../history/op.ts";
import { inputAt, keyAt, OUTCOMES, outputAt, positionAmong, positionOf, ret } from "./columns.ts";
import { opName, orList, show } from "./model.ts";
import { checkPart, type Method, type PartResult, type Violation } from "./part.ts";
import { planLinearizability, type LinearizabilityPlan, type LinearizableOptions, type PlannedClient } from "./plan.ts";
import type { Semantics } from "./semantics.ts";
import { sourceOf, SourceBuilder, type LinSource } from "./source.ts";

export interface LinearizableEvidence {
  model: string;
  /** Why this model (--model, or what auto inferred). */
  modelReason: string;
  /** How nil reads and failed ops were read, and why that reading. */
  semantics: Semantics;
  semanticsReason: string;
  /** Set for Jepsen independent keys: why the history was split, and into how many keys. */
  independent?: { reason: string; keys: number };
  initial: unknown;
  parts: number;
  /** Every part's verdict, in plan order (parts left unchecked by --first-failure absent). */
  partResults: PartRow[];
  /** Labels of the parts found not linearizable. */
  failingParts: string[];
  /** The first failing part's violation, in plan order. */
  violation?: Violation & {
    part: string;
    method: Method;
    /** Ops whose interval overlaps the culprit's. */
    concurrent: number[];
    /** "the read of 3 by process 12 at index 217". */
    culpritText: string;
  };
  /** Parts the search could not decide, and why. */
  undecided: { part: string; reason: string }[];
  /** Knossos's semantics let these parts pass, but read strictly they fail: the op that then cannot be linearized. */
  strictDisagrees: { part: string; culprit: number; culpritText: string; states: string[] }[];
}

/** One row of the per-part table: key (or part), ops, verdict, method, steps, culprit. */
export interface PartRow {
  part: string;
  ops: number;
  valid: PartResult["valid"];
  method: Method;
  steps: number;
  culprit?: number;
  culpritText?: string;
}

export interface LinearizableStats {
  operations: number;
  failedRemoved: number;
  /** Failed ops kept because they observed the state (Porcupine's failed cas). */
  failedKept: number;
  unknownReadsRemoved: number;
  /** Knossos's semantics: ok reads of nil left out (they match any state). */
  nilReadsForgotten: number;
  parts: number;
  partsChecked: number;
  partsFailing: number;
  byFastPath: number;
  bySearch: number;
  searchSteps: number;
  configurations: number;
}

/** Decided from the parts, or `{reason}` when nothing could be checked (no model fits). */
export type LinearizableResult = NamedResult<"linearizable", LinearizableEvidence | { reason: string }, Partial<LinearizableStats>>;

/** Checks every part inline, in order (with --first-failure, stopping at the first violation). */
export function checkLinearizable(history: History, options: LinearizableOptions): LinearizableResult {
  return checkSource(sourceOf(history), options);
}

/**
 * The checker streaming: each operation goes into columns as it completes (about 55 bytes
 * per client op, no object), then the parts are checked as `checkLinearizable` checks them.
 */
export class LinearizableFold implements OperationFold<LinearizableResult> {
  private readonly source = new SourceBuilder();

  constructor(private readonly options: LinearizableOptions) {}

  add(operation: Operation): void {
    this.source.add(operation);
  }

  finish(history: Omit<History, "operations">): LinearizableResult {
    return checkSource(this.source.finish(history.format), this.options);
  }
}

function checkSource(source: LinSource, options: LinearizableOptions): LinearizableResult {
  const plan = planLinearizability(source, options);
  if (typeof plan === "string") return unplanned(plan);
  const results: PartResult[] = [];
  for (const task of plan.tasks) {
    const result = checkPart(task);
    results.push(result);
    if (result.valid === false && plan.firstFailure) break;
  }
  return composeLinearizable(plan, results);
}

/** Nothing could be checked (no model fits the ops): why. */
export function unplanned(reason: string): LinearizableResult {
  return { checker: "linearizable", valid: "unknown", summary: reason, evidence: { reason }, stats: {} };
}

/** The checker's result from its parts' results (in plan order), however they were run (inline or on workers). */
export function composeLinearizable(plan: LinearizabilityPlan, results: PartResult[]): NamedResult<"linearizable", LinearizableEvidence, LinearizableStats> {
  const client = viewOf(plan.client);
  const describe = (id: number): string => client.describe(client.position(id));
  // One pass, rows as literals: this runs once per history, and a kv history is mostly small keys.
  const failing: PartResult[] = [];
  const undecided: LinearizableEvidence["undecided"] = [];
  const strictDisagrees: LinearizableEvidence["strictDisagrees"] = [];
  const partResults: PartRow[] = [];
  let nilReadsForgotten = 0;
  let byFastPath = 0;
  let searchSteps = 0;
  let configurations = 0;
  for (const r of results) {
    const steps = r.stats?.steps ?? 0;
    nilReadsForgotten += r.nilReadsForgotten;
    if (r.method === "fast-path") byFastPath++;
    searchSteps += steps;
    configurations += r.stats?.configurations ?? 0;
    if (r.valid === false) {
      failing.push(r);
      partResults.push({ part: r.label, ops: r.ops, valid: r.valid, method: r.method, steps, culprit: r.violation.culprit, culpritText: describe(r.violation.culprit) });
      continue;
    }
    partResults.push({ part: r.label, ops: r.ops, valid: r.valid, method: r.method, steps });
    if (r.valid === "unknown") undecided.push({ part: r.label, reason: `${r.reason} after ${r.stats.steps} search steps (at most ${r.stats.deepest} of ${r.ops} ops linearized)` });
    else if (r.strictViolation) strictDisagrees.push({ part: r.label, culprit: r.strictViolation.culprit, culpritText: describe(r.strictViolation.culprit), states: r.strictViolation.states });
  }
  const evidence: LinearizableEvidence = {
    model: plan.choice.model.name,
    modelReason: plan.choice.reason,
    semantics: plan.semantics.name,
    semanticsReason: plan.semantics.reason,
    // Undefined (which JSON leaves out) unless split.
    independent: plan.independent,
    initial: plan.initial ?? null,
    parts: plan.tasks.length,
    partResults,
    failingParts: failing.map((r) => r.label),
    undecided,
    strictDisagrees,
  };
  const stats: LinearizableStats = {
    operations: plan.effective.length,
    failedRemoved: plan.failed,
    failedKept: plan.failedKept,
    unknownReadsRemoved: plan.unknownReads,
    nilReadsForgotten,
    parts: plan.tasks.length,
    partsChecked: results.length,
    partsFailing: failing.length,
    byFastPath,
    bySearch: results.length - byFastPath,
    searchSteps,
    configurations,
  };
  // "knossos semantics, 10 independent keys": said in every verdict.
  const split = plan.tasks.length > 1 || plan.independent !== undefined;
  const keys = plan.independent?.keys;
  const splitText = keys === undefined ? `${plan.tasks.length} independent parts` : `${keys} independent key${keys === 1 ? "" : "s"}${plan.tasks.length > keys ? ` in ${plan.tasks.length} parts` : ""}`;
  const context = [`${plan.semantics.name} semantics`, ...(split ? [splitText] : [])].join(", ");
  const first = failing[0];
  if (first?.valid === false) {
    const culprit = client.position(first.violation.culprit);
    const concurrent = concurrentWith(client, plan.effective, culprit);
    const culpritText = client.describe(culprit);
    const v = first.violation;
    // Fields named, not spread: spreads here were most of composing a small kv history's verdict.
    evidence.violation = { culprit: v.culprit, prefix: v.prefix, states: v.states, reason: v.reason, involved: v.involved, part: first.label, method: first.method, concurrent, culpritText };
    const which = !split ? "" : `; ${failing.length} failing: ${failing.map((r) => r.label).join(", ")}${results.length < plan.tasks.length ? " (stopped at the first, --first-failure)" : ""}`;
    return { checker: "linearizable", evidence, stats, valid: false, summary: violationSentence(plan.choice.model.name, first.violation, culpritText, `${context}${which}`, split && !client.keyed(culprit) ? first.label : undefined), focus: [first.violation.culprit, ...concurrent] };
  }
  if (undecided.length > 0 || results.length < plan.tasks.length) {
    return { checker: "linearizable", evidence, stats, valid: "unknown", summary: `not decided (${context}): ${undecided.map((u) => `${u.part}: ${u.reason}`).join("; ")}` };
  }
  const fast = stats.byFastPath === results.length ? " by the unique-value fast path" : "";
  const where = (d: { part: string }): string => (split ? ` (${d.part})` : "");
  const warning = strictDisagrees.length === 0 ? "" : ` Warning: it passes only because Knossos's semantics lets an ok read of nil match any state; read strictly, ${strictDisagrees.map((d) => `${d.culpritText}${where(d)}`).join("; ")} cannot be linearized.`;
  return { checker: "linearizable", evidence, stats, valid: true, summary: `linearizable as a ${plan.choice.model.name} (${context})${fast}: all ${plan.effective.length} ops that may have taken effect fit one order.${warning}` };
}

/** What the verdict reads of the plan's client ops, by position. */
interface ClientView {
  position(id: number): number;
  id(position: number): number;
  call(position: number): number;
  ret(position: number): number;
  /** Whether the op carries a key of its own (a kv op). */
  keyed(position: number): boolean;
  /** "the read of 3 by process 12 at index 217". */
  describe(position: number): string;
}

function viewOf(client: PlannedClient): ClientView {
  if ("columns" in client) {
    const c = client.columns;
    return {
      position: (id) => positionOf(c, id),
      id: (p) => c.id[p]!,
      call: (p) => c.call[p]!,
      ret: (p) => ret(c, p),
      keyed: (p) => c.key[p] !== -1,
      describe(p) {
        const output = outputAt(c, p);
        const value = OUTCOMES[c.outcome[p]!] === "ok" && output !== undefined ? output : inputAt(c, p);
        const at = Number.isNaN(c.complete[p]) ? c.call[p]! : c.complete[p]!;
        return opSentence(c.fs[c.f[p]!]!, value, c.key[p] === -1 ? undefined : { key: keyAt(c, p) }, c.processes[c.process[p]!]!, at);
      },
    };
  }
  const { operations } = client.held;
  return {
    position: (id) => positionAmong(operations.length, (p) => operations[p]!.id, id),
    id: (p) => operations[p]!.id,
    call: (p) => operations[p]!.call,
    ret: (p) => operations[p]!.ret,
    keyed: (p) => operations[p]!.invoke.key !== undefined,
    describe(p) {
      const o = operations[p]!;
      const value = o.outcome === "ok" && o.output !== undefined ? o.output : o.input;
      return opSentence(o.f, value, o.invoke.key === undefined ? undefined : { key: o.invoke.key }, o.process, o.completeIndex ?? o.call);
    },
  };
}

function opSentence(f: string, value: unknown, keyed: { key: unknown } | undefined, process: ProcessId, at: number): string {
  return `the ${opName(f)} of ${show(value)}${keyed ? ` on key ${show(keyed.key)}` : ""} by process ${String(process)} at index ${at}`;
}

/** Ids of the `effective` ops whose interval overlaps the op at `position`'s (touching ends are concurrent: neither returned before the other began), in their order. */
function concurrentWith(client: ClientView, effective: Int32Array, position: number): number[] {
  const call = client.call(position);
  const end = client.ret(position);
  const ids: number[] = [];
  for (const p of effective) if (p !== position && client.call(p) <= end && call <= client.ret(p)) ids.push(client.id(p));
  return ids;
}

function violationSentence(model: string, v: Violation, culpritText: string, context: string, part: string | undefined): string {
  const before = v.prefix.length;
  const states = v.states.length === 0 ? "" : `: after the ${before} op${before === 1 ? "" : "s"} before it the ${model} can only hold ${orList(v.states)}`;
  const why = v.reason ? ` (${v.reason})` : "";
  const where = part === undefined ? "" : ` (${part})`;
  return `not linearizable (${context}): ${culpritText}${where} cannot be linearized${why}${states}.`;
}
