import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import type { CheckerDefinition, CheckerResult, CheckOptions, OperationFold, Validity } from "../checker.ts";
import { foldHistory } from "../fold.ts";
import { combineValidity } from "../verdict.ts";
import { compareKeys, IndependentDetector, independentBecause, notATuple, splitByKey, tupleOf, unwrapped, type IndependentKey } from "./split.ts";

/** One key's verdict, with the inner checker's whole result. */
export interface KeyVerdict {
  key: IndependentKey;
  valid: Validity;
  summary: string;
  result: CheckerResult;
}

export interface IndependentEvidence {
  /** Why the history was split by key, and into how many keys. */
  independent: { reason: string; keys: number };
  /** Every key's verdict, in key order. */
  keys: KeyVerdict[];
  failingKeys: IndependentKey[];
  undecidedKeys: IndependentKey[];
}

export interface IndependentStats {
  keys: number;
  keysFailing: number;
  keysUndecided: number;
}

/**
 * Jepsen's `independent/checker` over any checker: when every client value is a `[key value]`
 * tuple (or --independent says so), each key's ops are checked alone by `inner` and the
 * history is valid iff every key is. Otherwise `inner` runs unchanged. A foldable checker stays
 * foldable: the fold routes each op to its key's fold.
 */
export function withIndependentKeys(inner: CheckerDefinition): CheckerDefinition {
  const wrapped: CheckerDefinition = {
    ...inner,
    appliesBecause(history) {
      const because = independentBecause(history);
      if (because === undefined) return inner.appliesBecause(history);
      for (const { history: sub } of splitByKey(history)) {
        const reason = inner.appliesBecause(sub);
        if (reason !== undefined) return `${reason}, per key: ${because}`;
      }
      return undefined;
    },
    check: (history, options) => (inner.fold ? foldHistory(new IndependentFold(inner, options), history) : checkByKey(inner, history, options)),
  };
  if (inner.fold) wrapped.fold = (options) => new IndependentFold(inner, options);
  return wrapped;
}

function checkByKey(inner: CheckerDefinition, history: History, options: CheckOptions): CheckerResult {
  if (options.independent === false) return inner.check(history, options);
  const because = independentBecause(history);
  if (because === undefined) return options.independent === true ? notTuples(inner.name, notATuple(history.operations)) : inner.check(history, options);
  return composeByKey(inner.name, because, splitByKey(history).map(({ key, history: sub }) => ({ key, result: inner.check(sub, options) })));
}

/** Feeds the whole history's fold and, while every op is a tuple, one fold per key; `finish` picks by what it saw. */
class IndependentFold implements OperationFold {
  private readonly whole: OperationFold | undefined;
  /** Dropped at the first op that is not a tuple (unless --independent, which then reports it). */
  private keyed: Map<IndependentKey, OperationFold> | undefined;
  private readonly detector = new IndependentDetector();
  /** Nemesis ops so far, replayed into a key's fold when the key first occurs: each fold sees its history's order. */
  private readonly nemesis: Operation[] = [];
  private firstNonTuple: Operation | undefined;

  constructor(
    private readonly inner: CheckerDefinition,
    private readonly options: CheckOptions,
  ) {
    this.whole = options.independent === true ? undefined : inner.fold!(options);
    this.keyed = options.independent === false ? undefined : new Map();
  }

  add(o: Operation): void {
    this.whole?.add(o);
    this.detector.add(o);
    if (!this.keyed) return;
    if (!isClientProcess(o.process)) {
      this.nemesis.push(o);
      for (const fold of this.keyed.values()) fold.add(o);
      return;
    }
    const key = tupleOf(o);
    if (key === undefined) {
      this.firstNonTuple = o;
      this.keyed = undefined;
      return;
    }
    let fold = this.keyed.get(key);
    if (!fold) {
      fold = this.inner.fold!(this.options);
      for (const n of this.nemesis) fold.add(n);
      this.keyed.set(key, fold);
    }
    fold.add(unwrapped(o));
  }

  finish(history: Omit<History, "operations">): CheckerResult {
    const because = this.detector.because;
    if (this.whole && (because === undefined || !this.keyed)) return this.whole.finish(history);
    if (because === undefined || !this.keyed) return notTuples(this.inner.name, this.firstNonTuple);
    const keys = [...this.keyed].sort(([a], [b]) => compareKeys(a, b));
    return composeByKey(this.inner.name, because, keys.map(([key, fold]) => ({ key, result: fold.finish(history) })));
  }
}

function notTuples(checker: string, odd: Operation | undefined): CheckerResult {
  const summary = odd ? `--independent: op ${odd.id} (${odd.f} by process ${String(odd.process)}) has a value that is not a [key value] tuple` : "--independent: no client ops to split by key";
  return { checker, valid: "unknown", summary, evidence: { reason: summary }, stats: {} };
}

/** Valid iff every key is; the failing (else undecided) keys named, the first one's reason given. */
export function composeByKey(checker: string, reason: string, results: { key: IndependentKey; result: CheckerResult }[]): CheckerResult<IndependentEvidence, IndependentStats> {
  const keys = results.map(({ key, result }): KeyVerdict => ({ key, valid: result.valid, summary: result.summary, result }));
  const failing = keys.filter((k) => k.valid === false);
  const undecided = keys.filter((k) => k.valid === "unknown");
  const evidence: IndependentEvidence = { independent: { reason, keys: keys.length }, keys, failingKeys: failing.map((k) => k.key), undecidedKeys: undecided.map((k) => k.key) };
  const stats: IndependentStats = { keys: keys.length, keysFailing: failing.length, keysUndecided: undecided.length };
  const valid = combineValidity(keys.map((k) => k.valid));
  const of = `${keys.length} independent key${keys.length === 1 ? "" : "s"}`;
  const named = (ks: KeyVerdict[]): string => ks.map((k) => keyName(k.key)).join(", ");
  const base = { checker, valid, evidence, stats };
  if (failing.length > 0) return { ...base, summary: `invalid on ${failing.length} of ${of} (${named(failing)}): ${keyName(failing[0]!.key)}: ${failing[0]!.summary}`, focus: failing[0]!.result.focus };
  if (undecided.length > 0) return { ...base, summary: `not decided on ${undecided.length} of ${of} (${named(undecided)}): ${keyName(undecided[0]!.key)}: ${undecided[0]!.summary}` };
  return { ...base, summary: `valid on each of ${of}` };
}

/** "key 3", `key "x"`. */
export function keyName(key: IndependentKey): string {
  return `key ${JSON.stringify(key)}`;
}

/** Whether a result is a per-key composition (for the report). */
export function isIndependentEvidence(evidence: unknown): evidence is IndependentEvidence {
  return typeof evidence === "object" && evidence !== null && "independent" in evidence && "keys" in evidence && Array.isArray((evidence as IndependentEvidence).keys);
}
