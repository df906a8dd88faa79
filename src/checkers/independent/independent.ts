import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import { combineValidity, type CheckerResult, type NamedResult, type OperationFold, type Validity } from "../checker.ts";
import { foldHistory } from "../fold.ts";
import { compareKeys, IndependentDetector, independentBecause, notATuple, splitByKey, tupleOf, unwrapped, type IndependentKey } from "./split.ts";

/** One key's verdict, with the inner checker's whole result. */
export interface KeyVerdict<Result extends CheckerResult = CheckerResult> {
  key: IndependentKey;
  valid: Validity;
  summary: string;
  result: Result;
}

export interface IndependentEvidence<Result extends CheckerResult = CheckerResult> {
  /** Why the history was split by key, and into how many keys. */
  independent: { reason: string; keys: number };
  /** Every key's verdict, in key order. */
  keys: KeyVerdict<Result>[];
  failingKeys: IndependentKey[];
  undecidedKeys: IndependentKey[];
}

export interface IndependentStats {
  keys: number;
  keysFailing: number;
  keysUndecided: number;
}

/** A checker's result over independent keys: per key, the inner checker's own result. */
export type PerKeyResult<Name extends string, Result extends CheckerResult> = NamedResult<Name, IndependentEvidence<Result>, IndependentStats>;

/** --independent given on values that are not tuples: nothing to split. */
export type NotTuplesResult<Name extends string> = NamedResult<Name, { notTuples: string }, Record<string, never>>;

export type KeyedResult<Name extends string, Result extends CheckerResult> = Result | PerKeyResult<Name, Result> | NotTuplesResult<Name>;

/** What a checker over independent keys needs of the inner one. */
export interface InnerChecker<Name extends string, Options, Result extends NamedResult<Name, unknown, object>> {
  name: Name;
  check(history: History, options: Options): Result;
  fold?(options: Options): OperationFold<Result>;
}

/** --independent (true), --no-independent (false), or detect (undefined). */
export interface IndependentOptions {
  independent?: boolean;
}

/**
 * Jepsen's `independent/checker` over any checker: when every client value is a `[key value]`
 * tuple (or --independent says so), each key's ops are checked alone by `inner` and the
 * history is valid iff every key is; otherwise `inner` runs unchanged. A foldable checker stays
 * foldable: its fold routes each op to its key's fold, and `check` is that fold over the history.
 */
export function checkByKey<Name extends string, Options, Result extends NamedResult<Name, unknown, object>>(
  inner: InnerChecker<Name, Options, Result>,
  history: History,
  options: Options & IndependentOptions,
): KeyedResult<Name, Result> {
  if (inner.fold) return foldByKey(inner, options, history);
  if (options.independent === false) return inner.check(history, options);
  const because = independentBecause(history);
  if (because === undefined) return options.independent === true ? notTuples(inner.name, notATuple(history.operations)) : inner.check(history, options);
  return composeByKey(inner.name, because, splitByKey(history).map(({ key, history: sub }) => ({ key, result: inner.check(sub, options) })));
}

function foldByKey<Name extends string, Options, Result extends NamedResult<Name, unknown, object>>(inner: InnerChecker<Name, Options, Result>, options: Options & IndependentOptions, history: History): KeyedResult<Name, Result> {
  return foldHistory(new IndependentFold(inner, options), history);
}

/** Feeds the whole history's fold and, while every op is a tuple, one fold per key; `finish` picks by what it saw. */
export class IndependentFold<Name extends string, Options, Result extends NamedResult<Name, unknown, object>> implements OperationFold<KeyedResult<Name, Result>> {
  private readonly whole: OperationFold<Result> | undefined;
  /** Dropped at the first op that is not a tuple (unless --independent, which then reports it). */
  private keyed: Map<IndependentKey, OperationFold<Result>> | undefined;
  private readonly detector = new IndependentDetector();
  /** Nemesis ops so far, replayed into a key's fold when the key first occurs: each fold sees its history's order. */
  private readonly nemesis: Operation[] = [];
  private firstNonTuple: Operation | undefined;

  constructor(
    private readonly inner: InnerChecker<Name, Options, Result>,
    private readonly options: Options & IndependentOptions,
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

  finish(history: Omit<History, "operations">): KeyedResult<Name, Result> {
    const because = this.detector.because;
    if (this.whole && (because === undefined || !this.keyed)) return this.whole.finish(history);
    if (because === undefined || !this.keyed) return notTuples(this.inner.name, this.firstNonTuple);
    const keys = [...this.keyed].sort(([a], [b]) => compareKeys(a, b));
    return composeByKey(this.inner.name, because, keys.map(([key, fold]) => ({ key, result: fold.finish(history) })));
  }
}

function notTuples<Name extends string>(checker: Name, odd: Operation | undefined): NotTuplesResult<Name> {
  const summary = odd ? `--independent: op ${odd.id} (${odd.f} by process ${String(odd.process)}) has a value that is not a [key value] tuple` : "--independent: no client ops to split by key";
  return { checker, valid: "unknown", summary, evidence: { notTuples: summary }, stats: {} };
}

/** Valid iff every key is; the failing (else undecided) keys named, the first one's reason given. */
export function composeByKey<Name extends string, Result extends CheckerResult>(checker: Name, reason: string, results: { key: IndependentKey; result: Result }[]): PerKeyResult<Name, Result> {
  const keys = results.map(({ key, result }): KeyVerdict<Result> => ({ key, valid: result.valid, summary: result.summary, result }));
  const failing = keys.filter((k) => k.valid === false);
  const undecided = keys.filter((k) => k.valid === "unknown");
  const evidence: IndependentEvidence<Result> = { independent: { reason, keys: keys.length }, keys, failingKeys: failing.map((k) => k.key), undecidedKeys: undecided.map((k) => k.key) };
  const stats: IndependentStats = { keys: keys.length, keysFailing: failing.length, keysUndecided: undecided.length };
  const valid = combineValidity(keys.map((k) => k.valid));
  const of = `${keys.length} independent key${keys.length === 1 ? "" : "s"}`;
  const named = (ks: KeyVerdict<Result>[]): string => ks.map((k) => keyName(k.key)).join(", ");
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
export function isPerKey<Name extends string, Result extends CheckerResult>(result: KeyedResult<Name, Result>): result is PerKeyResult<Name, Result> {
  return hasField(result.evidence, "independent") && hasField(result.evidence, "keys");
}

/** Whether --independent was refused (values not tuples). */
export function isNotTuples<Name extends string, Result extends CheckerResult>(result: KeyedResult<Name, Result>): result is NotTuplesResult<Name> {
  return hasField(result.evidence, "notTuples");
}

function hasField(evidence: unknown, field: string): boolean {
  return typeof evidence === "object" && evidence !== null && field in evidence;
}
