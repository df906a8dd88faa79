import { columnsOf, ColumnsBuilder, opAt, opsOf, type OpColumns } from "./columns.ts";
import { uniqueValueColumns } from "./fast-path.ts";
import type { LinOp, Model } from "./model.ts";
import { modelNamed } from "./models.ts";
import { search, type SearchBudget, type SearchStats } from "./search.ts";
import { memoTooSmall, searchInSegments } from "./segments.ts";
import type { Semantics } from "./semantics.ts";

/** One independent part of a history: plain data, so that a worker thread can check it. */
export interface PartTask {
  /** What the part is, for people: "key 3", or "the whole history". */
  label: string;
  model: string;
  semantics: Semantics;
  initial: unknown;
  /** Ops in invocation order, fails already removed (but those that observed the state). */
  ops: PartOps;
  /** Date.now() past which to give up. */
  deadline?: number;
  memoBytes: number;
}

/**
 * A part's ops: as columns, so that a part of millions is a few typed arrays; or, for the small
 * parts of a small history that a model's partition made from objects, those objects (columns
 * would be made of them only to be read back into objects for the search).
 */
export type PartOps = OpColumns | readonly LinOp[];

export function isOpList(ops: PartOps): ops is readonly LinOp[] {
  return Array.isArray(ops);
}

export function partSize(ops: PartOps): number {
  return isOpList(ops) ? ops.length : ops.size;
}

/** Op ids below are Operation.id, as the rest of the program knows them. */
export interface Violation {
  culprit: number;
  /** A valid linearization of the ops before the culprit (ids, in order). */
  prefix: number[];
  /** Model states possible just before the culprit. */
  states: string[];
  /** Why, when the fast path found it: e.g. "it reads a value that was never written". */
  reason?: string;
  /**
   * The few ops the proof rests on: the culprit and, from the order found, the last op that set
   * each state it contradicts (not the whole prefix, which `prefix` keeps).
   */
  involved: number[];
}

/** What every part result says, whatever the verdict. */
interface PartFacts {
  label: string;
  method: Method;
  /** Ops checked (after Knossos's nil reads were forgotten). */
  ops: number;
  /** Knossos's semantics: ok reads of nil left out, since they match any state. */
  nilReadsForgotten: number;
}

export type PartResult = PartFacts &
  (
    | {
        valid: true;
        stats?: SearchStats;
        /** Knossos's semantics passed the part, but read strictly it is not linearizable: the nil reads it let through. */
        strictViolation?: Violation;
      }
    | { valid: false; violation: Violation; stats?: SearchStats }
    | { valid: "unknown"; reason: string; budget?: "time" | "memory"; stats: SearchStats }
  );

/** `fast-path`: the unique-value register check; `search`: the WGL search. */
export type Method = "fast-path" | "search";

/** When the fast path finds a violation, the search may still name the culprit and states, within this budget; also the budget of the strict re-check. */
const EVIDENCE_MEMO_BYTES = 16 << 20;
const EVIDENCE_MS = 2000;

type Decision =
  | { valid: true; method: Method; stats?: SearchStats }
  | { valid: false; method: Method; violation: Violation; stats?: SearchStats }
  | { valid: "unknown"; method: Method; reason: string; budget: "time" | "memory"; stats: SearchStats };

export function checkPart(task: PartTask): PartResult {
  const whole = modelNamed(task.model);
  const model = whole.perPart ?? whole;
  const forget = task.semantics === "knossos" ? model.forgetNilReads : undefined;
  const { ops, forgotten } = forget ? withNilReadsForgotten(task.ops, forget) : { ops: task.ops, forgotten: 0 };
  const decision = decide(model, ops, task.initial, { deadline: task.deadline, memoBytes: task.memoBytes });
  let strictViolation: Violation | undefined;
  if (decision.valid === true && forgotten > 0) {
    // Beyond Knossos: would the part still pass were its nil reads read as nil? A budgeted second look.
    const budget = { deadline: Math.min(task.deadline ?? Infinity, Date.now() + EVIDENCE_MS), memoBytes: Math.min(EVIDENCE_MEMO_BYTES, task.memoBytes) };
    const strict = decide(model, task.ops, task.initial, budget);
    if (strict.valid === false) strictViolation = strict.violation;
  }
  return partResult({ label: task.label, method: decision.method, ops: partSize(ops), nilReadsForgotten: forgotten }, decision, strictViolation);
}

/**
 * The result, one literal for each verdict: spreading decisions of their several shapes into
 * the facts was a tenth of checking a kv history of small keys.
 */
function partResult({ label, method, ops, nilReadsForgotten }: PartFacts, decision: Decision, strictViolation: Violation | undefined): PartResult {
  switch (decision.valid) {
    case true:
      return strictViolation ? { label, method, ops, nilReadsForgotten, valid: true, stats: decision.stats, strictViolation } : { label, method, ops, nilReadsForgotten, valid: true, stats: decision.stats };
    case false:
      return { label, method, ops, nilReadsForgotten, valid: false, violation: decision.violation, stats: decision.stats };
    case "unknown":
      return { label, method, ops, nilReadsForgotten, valid: "unknown", reason: decision.reason, budget: decision.budget, stats: decision.stats };
  }
}

/** The ops with Knossos's nil reads forgotten, and how many ops that changed; held as they were given. */
function withNilReadsForgotten(ops: PartOps, forget: NonNullable<Model["forgetNilReads"]>): { ops: PartOps; forgotten: number } {
  const list = isOpList(ops);
  const size = partSize(ops);
  const kept: LinOp[] = [];
  const keptColumns = list ? undefined : new ColumnsBuilder(size);
  let forgotten = 0;
  for (let i = 0; i < size; i++) {
    const op = list ? ops[i]! : opAt(ops, i);
    const left = forget(op);
    if (left !== op) forgotten++;
    if (left && keptColumns) keptColumns.add(left, left.ret, left.key);
    else if (left) kept.push(left);
  }
  return { ops: forgotten === 0 ? ops : (keptColumns?.finish() ?? kept), forgotten };
}

const TIME_LIMIT_REACHED = "the time limit was reached";

/** `unknown` when the part's deadline is reached before a stage of deciding it starts. */
function pastDeadline(budget: SearchBudget, method: Method): Decision | undefined {
  if (budget.deadline === undefined || Date.now() < budget.deadline) return undefined;
  return { valid: "unknown", method, reason: TIME_LIMIT_REACHED, budget: "time", stats: { steps: 0, configurations: 0, deepest: 0, states: 0 } };
}

/**
 * The fast path when it applies, else the search; a fast-path violation is given its culprit by
 * a budgeted search. Only the search needs the ops as objects.
 */
function decide(model: Model, given: PartOps, initialValue: unknown, budget: SearchBudget): Decision {
  const late = pastDeadline(budget, "search");
  if (late) return late;
  // The fast path and the segments read columns: a part given as objects is made columns only for them.
  let made: OpColumns | undefined;
  const columns = (): OpColumns => (made ??= isOpList(given) ? columnsOf(given) : given);
  const fast = model.registerInitial ? uniqueValueColumns(columns(), model.registerInitial(initialValue)) : undefined;
  if (fast?.valid === true) return { valid: true, method: "fast-path" };
  // The fast path over millions of ops takes seconds: a search after it gets the time left, if any.
  const lateAfterFastPath = fast === undefined && pastDeadline(budget, "search");
  if (lateAfterFastPath) return lateAfterFastPath;
  // A part too large for the memo is searched in segments where it can be; a violation is then the segment's.
  const segmented = !fast && memoTooSmall(partSize(given), budget.memoBytes) ? searchInSegments(model, columns(), initialValue, budget) : undefined;
  const ops = segmented ? [] : isOpList(given) ? given : opsOf(given);
  const deadline = fast ? Math.min(budget.deadline ?? Infinity, Date.now() + EVIDENCE_MS) : budget.deadline;
  const searched = segmented ?? {
    outcome: search(model, ops, model.init(initialValue), { deadline, memoBytes: fast ? Math.min(EVIDENCE_MEMO_BYTES, budget.memoBytes) : budget.memoBytes }),
    ops,
    initial: initialValue,
  };
  const { outcome } = searched;
  if (outcome.kind === "violation") {
    const searchedIds = (positions: number[]): number[] => positions.map((p) => searched.ops[p]!.id);
    const violation: Violation = {
      culprit: searched.ops[outcome.culprit]!.id,
      prefix: searchedIds(outcome.prefix),
      states: outcome.states,
      involved: searchedIds([outcome.culprit, ...outcome.setters]),
    };
    return { valid: false, method: fast ? "fast-path" : "search", violation, stats: outcome.stats };
  }
  if (fast) {
    // The search ran out of budget (or, were the two ever to disagree, proved otherwise): the fast path's proof stands.
    const [culprit, ...rest] = fast.culprits.map((p) => ops[p]!.id);
    return { valid: false, method: "fast-path", violation: { culprit: culprit!, prefix: [], states: [], reason: fast.reason, involved: [culprit!, ...rest] }, stats: outcome.stats };
  }
  if (outcome.kind === "budget") {
    const reason = outcome.reason === "time" ? TIME_LIMIT_REACHED : "the memo of visited configurations reached its memory ceiling";
    return { valid: "unknown", method: "search", reason, budget: outcome.reason, stats: outcome.stats };
  }
  return { valid: true, method: "search", stats: outcome.stats };
}
