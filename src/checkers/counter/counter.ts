import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import { formatPercent } from "../../history/values.ts";
import type { NamedResult, OperationFold, Validity } from "../checker.ts";
import { DeadlineWatch, type DeadlineOptions } from "../deadline.ts";
import { foldHistory } from "../fold.ts";
import { spreadIndices } from "../set/elements.ts";

/**
 * A counter: adds of (usually positive) increments and reads of the total. A read must lie between
 * what had certainly happened when it began and what could have happened by the time it ended.
 */
export interface CounterRead {
  id: number;
  /** Completion position, and time in nanoseconds. */
  index: number;
  time: number | undefined;
  value: number;
  /**
   * lower: initial + increments acknowledged before the read was invoked (+ every negative one
   * that could have happened); upper: initial + increments invoked, ok or info, before it
   * completed (+ only acknowledged negative ones). Mirrored so negative increments are bounded too.
   */
  lower: number;
  upper: number;
  /** Signed distance outside [lower, upper]: > 0 above, < 0 below, 0 inside. */
  drift: number;
  /** |drift| / |nearest bound|; null when that bound is 0. */
  relativeDrift: number | null;
}

export interface FinalRead {
  id: number;
  value: number;
  /** Initial value + acknowledged increments (the 2013 comparison). */
  acknowledged: number;
  /** Initial value + every increment that may have happened (ok or info). */
  attempted: number;
  /** value − acknowledged: negative when acknowledged increments are missing. */
  difference: number;
}

export interface CounterFigures {
  /** increments: adds that may have happened (ok or info; failed ones never count); unjudged: non-numeric values. */
  counts: { increments: number; acknowledged: number; reads: number; errors: number; unjudged: number };
  /** Largest |drift| and largest relative drift over all reads, with the read ids that show them. */
  maxDrift: { absolute: number; absoluteReadId: number | null; relative: number | null; relativeReadId: number | null };
  final?: FinalRead;
}

export interface CounterEvidence {
  /** Every read out of bounds. */
  errors: CounterRead[];
  /** Judged reads in completion order (drift over time): all of them, or an evenly spaced sample past MAX_ELEMENTS_KEPT. */
  reads: CounterRead[];
  /** Operation ids of adds or reads whose value is not a number. */
  unjudgedIds: number[];
}

export type CounterResult = NamedResult<"counter", CounterEvidence, CounterFigures>;

export interface CounterOptions extends DeadlineOptions {
  /** The counter's value before the history (--initial; 0 by default). */
  initial?: number;
}

export function checkCounter(history: History, options: CounterOptions = {}): CounterResult {
  return foldHistory(new CounterFold(options), history);
}

/** An add that may have happened (ok or info), reduced to what the bounds need. */
interface Increment {
  call: number;
  ret: number;
  value: number;
  acknowledged: boolean;
}

/** An ok read of a number, reduced to what judging it needs. */
interface ValueRead {
  id: number;
  call: number;
  ret: number;
  retTime: number | undefined;
  value: number;
}

/**
 * The counter in one pass, keeping only increments and reads as small records (not whole
 * operations), so a 10M-op counter history streams through it.
 */
export class CounterFold implements OperationFold<CounterResult> {
  private readonly initial: number;
  private readonly increments: Increment[] = [];
  private readonly reads: ValueRead[] = [];
  private readonly unjudgedAdds: number[] = [];
  private readonly unjudgedReads: number[] = [];
  private readonly watch: DeadlineWatch;

  constructor(options: CounterOptions) {
    this.initial = options.initial ?? 0;
    this.watch = new DeadlineWatch(options.deadline, "collecting the counter's adds and reads", "operation");
  }

  add(o: Operation): void {
    this.watch.tick();
    if (!isClientProcess(o.process)) return;
    if (o.f === "add" && o.outcome !== "fail") {
      if (typeof o.input === "number") this.increments.push({ call: o.call, ret: o.ret, value: o.input, acknowledged: o.outcome === "ok" });
      else this.unjudgedAdds.push(o.id);
    } else if (o.f === "read" && o.outcome === "ok") {
      if (typeof o.output === "number") this.reads.push({ id: o.id, call: o.call, ret: o.ret, retTime: o.retTime, value: o.output });
      else this.unjudgedReads.push(o.id);
    }
  }

  finish(): CounterResult {
    const { increments } = this;
    const unjudgedIds = [...this.unjudgedAdds.sort((a, b) => a - b), ...this.unjudgedReads.sort((a, b) => a - b)];
    const bounds = new Bounds(this.initial, increments);
    // Judge every read, keep the errors and an evenly spaced sample: millions of reads stream.
    const byRet = this.reads.sort((a, b) => a.ret - b.ret);
    const keep = spreadIndices(byRet.length);
    const reads: CounterRead[] = [];
    const errors: CounterRead[] = [];
    let last: CounterRead | undefined;
    byRet.forEach((read, i) => {
      last = bounds.judge(read);
      if (last.drift !== 0) errors.push(last);
      if (keep[reads.length] === i) reads.push(last);
    });
    const figures: CounterFigures = {
      counts: { increments: increments.length, acknowledged: increments.filter((i) => i.acknowledged).length, reads: byRet.length, errors: errors.length, unjudged: unjudgedIds.length },
      maxDrift: maxDrift(errors),
    };
    if (last) figures.final = bounds.final(last);
    const evidence: CounterEvidence = { errors, reads, unjudgedIds };

    let valid: Validity;
    let summary: string;
    if (errors.length > 0) {
      valid = false;
      const worst = figures.maxDrift;
      const relative = worst.relative === null ? "" : ` (largest relative drift ${formatPercent(worst.relative)} of the nearest bound, read ${worst.relativeReadId})`;
      summary = `${errors.length} of ${byRet.length} reads outside their bounds; largest drift ${worst.absolute} (read ${worst.absoluteReadId})${relative}`;
    } else if (byRet.length === 0) {
      valid = "unknown";
      summary = `The counter was never read (${increments.length} increments${unjudgedIds.length ? `, ${unjudgedIds.length} non-numeric values` : ""}): nothing to check the increments against`;
    } else if (unjudgedIds.length > 0) {
      valid = "unknown";
      summary = `All ${byRet.length} reads within bounds, but ${unjudgedIds.length} adds or reads carry non-numeric values and were not judged`;
    } else {
      valid = true;
      summary = byRet.length === 1 ? "The 1 read is within its bounds" : `All ${byRet.length} reads within their bounds`;
    }
    if (figures.final && byRet.length > 0) {
      const f = figures.final;
      summary += `; final read ${f.value} vs ${f.acknowledged} acknowledged${f.difference < 0 ? ` (${-f.difference} acknowledged increments missing)` : ""}`;
    }
    const result: CounterResult = { checker: "counter", valid, summary: `${summary}.`, evidence, stats: figures };
    if (valid === false) result.focus = errors.slice(0, 20).map((e) => e.id);
    return result;
  }
}

/** Prefix sums over increments, so each read's bounds cost two binary searches. */
class Bounds {
  private readonly okByRet: PrefixSums;
  private readonly anyByCall: PrefixSums;
  private readonly acknowledged: number;
  private readonly attempted: number;

  constructor(
    private readonly initial: number,
    increments: readonly Increment[],
  ) {
    const ok = increments.filter((i) => i.acknowledged);
    this.okByRet = new PrefixSums(ok, (i) => i.ret);
    this.anyByCall = new PrefixSums(increments, (i) => i.call);
    this.acknowledged = initial + ok.reduce((s, i) => s + i.value, 0);
    this.attempted = initial + increments.reduce((s, i) => s + i.value, 0);
  }

  judge(read: ValueRead): CounterRead {
    const { value } = read;
    const done = this.okByRet.before(read.call);
    const possible = this.anyByCall.before(read.ret);
    const lower = this.initial + this.okByRet.pos[done]! + this.anyByCall.neg[possible]!;
    const upper = this.initial + this.anyByCall.pos[possible]! + this.okByRet.neg[done]!;
    const drift = value > upper ? value - upper : value < lower ? value - lower : 0;
    const nearest = drift > 0 ? upper : lower;
    return {
      id: read.id,
      index: read.ret,
      time: read.retTime,
      value,
      lower,
      upper,
      drift,
      relativeDrift: drift === 0 ? 0 : nearest === 0 ? null : Math.abs(drift / nearest),
    };
  }

  final(read: CounterRead): FinalRead {
    return { id: read.id, value: read.value, acknowledged: this.acknowledged, attempted: this.attempted, difference: read.value - this.acknowledged };
  }
}

/**
 * Cumulative positive and negative sums of increments ordered by `at`, in typed arrays (millions
 * of increments stay small): pos[k] / neg[k] sum the first k.
 */
class PrefixSums {
  readonly at: Float64Array;
  readonly pos: Float64Array;
  readonly neg: Float64Array;

  constructor(increments: readonly Increment[], at: (i: Increment) => number) {
    const order = Uint32Array.from(increments.keys()).sort((a, b) => at(increments[a]!) - at(increments[b]!));
    this.at = new Float64Array(order.length);
    this.pos = new Float64Array(order.length + 1);
    this.neg = new Float64Array(order.length + 1);
    order.forEach((index, k) => {
      const increment = increments[index]!;
      this.at[k] = at(increment);
      this.pos[k + 1] = this.pos[k]! + Math.max(increment.value, 0);
      this.neg[k + 1] = this.neg[k]! + Math.min(increment.value, 0);
    });
  }

  /** How many entries lie strictly before position x. */
  before(x: number): number {
    let lo = 0;
    let hi = this.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function maxDrift(reads: readonly CounterRead[]): CounterFigures["maxDrift"] {
  const out: CounterFigures["maxDrift"] = { absolute: 0, absoluteReadId: null, relative: null, relativeReadId: null };
  for (const r of reads) {
    if (r.drift === 0) continue;
    if (Math.abs(r.drift) > out.absolute) {
      out.absolute = Math.abs(r.drift);
      out.absoluteReadId = r.id;
    }
    if (r.relativeDrift !== null && (out.relative === null || r.relativeDrift > out.relative)) {
      out.relative = r.relativeDrift;
      out.relativeReadId = r.id;
    }
  }
  return out;
}
