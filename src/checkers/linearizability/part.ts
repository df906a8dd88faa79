import { uniqueValueRegister } from "./fast-path.ts";
import type { LinOp } from "./model.ts";
import { modelNamed } from "./models.ts";
import { search, type SearchStats } from "./search.ts";

/** One independent part of a history: plain data, so that a worker thread can check it. */
export interface PartTask {
  /** What the part is, for people: "key 3", or "the whole history". */
  label: string;
  model: string;
  initial: unknown;
  /** Ops in invocation order, fails already removed. */
  ops: LinOp[];
  /** Date.now() past which to give up. */
  deadline?: number;
  memoBytes: number;
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
  /** Every op the proof rests on. */
  involved: number[];
}

export type PartResult =
  | { label: string; valid: true; method: Method; stats?: SearchStats }
  | { label: string; valid: false; method: Method; violation: Violation; stats?: SearchStats }
  | { label: string; valid: "unknown"; method: Method; reason: string; budget?: "time" | "memory"; stats: SearchStats };

/** `fast-path`: the unique-value register check; `search`: the WGL search. */
export type Method = "fast-path" | "search";

/** When the fast path finds a violation, the search may still name the culprit and states, within this budget. */
const EVIDENCE_MEMO_BYTES = 16 << 20;
const EVIDENCE_MS = 2000;

export function checkPart(task: PartTask): PartResult {
  const model = modelNamed(task.model);
  const initial = model.init(task.initial);
  const ids = (positions: number[]): number[] => positions.map((p) => task.ops[p]!.id);
  const fast = model.registerInitial ? uniqueValueRegister(task.ops, model.registerInitial(task.initial)) : undefined;
  if (fast?.valid === true) return { label: task.label, valid: true, method: "fast-path" };
  const deadline = fast ? Math.min(task.deadline ?? Infinity, Date.now() + EVIDENCE_MS) : task.deadline;
  const outcome = search(model, task.ops, initial, { deadline, memoBytes: fast ? Math.min(EVIDENCE_MEMO_BYTES, task.memoBytes) : task.memoBytes });
  if (outcome.kind === "violation") {
    const violation: Violation = {
      culprit: task.ops[outcome.culprit]!.id,
      prefix: ids(outcome.prefix),
      states: outcome.states,
      involved: ids([...outcome.prefix, outcome.culprit]),
    };
    return { label: task.label, valid: false, method: fast ? "fast-path" : "search", violation, stats: outcome.stats };
  }
  if (fast) {
    // The search ran out of budget (or, were the two ever to disagree, proved otherwise): the fast path's proof stands.
    const [culprit, ...rest] = ids(fast.culprits);
    return { label: task.label, valid: false, method: "fast-path", violation: { culprit: culprit!, prefix: [], states: [], reason: fast.reason, involved: [culprit!, ...rest] }, stats: outcome.stats };
  }
  if (outcome.kind === "budget") {
    const reason = outcome.reason === "time" ? "the time limit was reached" : "the memo of visited configurations reached its memory ceiling";
    return { label: task.label, valid: "unknown", method: "search", reason, budget: outcome.reason, stats: outcome.stats };
  }
  return { label: task.label, valid: true, method: "search", stats: outcome.stats };
}
