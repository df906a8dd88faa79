/**
 * Jepsen's unique-ids checker (jepsen.checker/unique-ids): every ok `generate` must return an id
 * no other ok `generate` returned. Streams: it keeps one number (or JSON string) per ok id.
 */
import { DeadlineWatch, type DeadlineOptions } from "../deadline.ts";
import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import type { NamedResult, OperationFold, Validity } from "../checker.ts";
import { valueKey, valueOfKey, type ValueKey } from "../../history/values.ts";
import { foldHistory } from "../fold.ts";

export interface DuplicatedId {
  id: unknown;
  /** How many ok generates returned it. */
  count: number;
  /** Those generates' operation ids (the first MAX_OPS_LISTED). */
  operationIds: number[];
}

export interface UniqueIdsFigures {
  /** Generates invoked, whatever their outcome (Jepsen's attempted-count). */
  attempted: number;
  acknowledged: number;
  /** Distinct ids returned more than once. */
  duplicated: number;
  /** Lowest and highest id (numbers before other values, which compare by their JSON); null when none. */
  range: [unknown, unknown] | null;
}

export interface UniqueIdsEvidence {
  /** Most duplicated first (up to MAX_DUPLICATES_LISTED), then by id. */
  duplicated: DuplicatedId[];
}

export type UniqueIdsResult = NamedResult<"unique-ids", UniqueIdsEvidence, UniqueIdsFigures>;

const MAX_DUPLICATES_LISTED = 1000;
const MAX_OPS_LISTED = 20;


/** Why --checker auto picks unique-ids, or undefined. */
export function uniqueIdsAppliesBecause(history: History): string | undefined {
  const generates = history.operations.filter((o) => o.f === "generate" && isClientProcess(o.process)).length;
  return generates > 0 ? `${generates} generate operation(s)` : undefined;
}

export function checkUniqueIds(history: History, options: DeadlineOptions = {}): UniqueIdsResult {
  return foldHistory(new UniqueIdsFold(options), history);
}

/** Runs of equal keys in a sorted array: the keys that occur more than once. */
function repeated<K extends ValueKey>(sorted: ArrayLike<K>): Set<K> {
  const out = new Set<K>();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) out.add(sorted[i]!);
  return out;
}

export class UniqueIdsFold implements OperationFold<UniqueIdsResult> {
  private attempted = 0;
  /** Ok generates: operation id and the id's key, in arrival order (numbers stay numbers). */
  private readonly operationIds: number[] = [];
  private readonly keys: ValueKey[] = [];
  private readonly watch: DeadlineWatch;

  constructor(options: DeadlineOptions = {}) {
    this.watch = new DeadlineWatch(options.deadline, "collecting the generated ids", "operation");
  }

  add(o: Operation): void {
    this.watch.tick();
    if (o.f !== "generate" || !isClientProcess(o.process)) return;
    this.attempted++;
    if (o.outcome !== "ok") return;
    this.operationIds.push(o.id);
    this.keys.push(valueKey(o.output));
  }

  finish(): UniqueIdsResult {
    const numbers = new Float64Array(this.keys.filter((k): k is number => typeof k === "number")).sort();
    const others = this.keys.filter((k): k is string => typeof k === "string").sort();
    const dupKeys = new Set<ValueKey>([...repeated(numbers), ...repeated(others)]);
    const byKey = new Map<ValueKey, DuplicatedId>();
    if (dupKeys.size > 0) {
      this.keys.forEach((key, i) => {
        if (!dupKeys.has(key)) return;
        let d = byKey.get(key);
        if (!d) byKey.set(key, (d = { id: valueOfKey(key), count: 0, operationIds: [] }));
        d.count++;
        if (d.operationIds.length < MAX_OPS_LISTED) d.operationIds.push(this.operationIds[i]!);
      });
    }
    const duplicated = [...byKey.entries()]
      .sort(([ka, a], [kb, b]) => b.count - a.count || compareKeys(ka, kb))
      .slice(0, MAX_DUPLICATES_LISTED)
      .map(([, d]) => ({ ...d, operationIds: d.operationIds.sort((a, b) => a - b) }));
    const lowest = numbers.length > 0 ? numbers[0]! : others[0];
    const highest = others.length > 0 ? others.at(-1) : numbers.at(-1);
    const stats: UniqueIdsFigures = {
      attempted: this.attempted,
      acknowledged: this.keys.length,
      duplicated: byKey.size,
      range: lowest === undefined ? null : [valueOfKey(lowest), valueOfKey(highest!)],
    };
    let valid: Validity;
    let summary: string;
    if (byKey.size > 0) {
      valid = false;
      const worst = duplicated[0]!;
      summary = `${byKey.size} id(s) returned more than once among ${stats.acknowledged} acknowledged; ${JSON.stringify(worst.id)} ${worst.count} times (operations ${worst.operationIds.slice(0, 5).join(", ")}${worst.count > 5 ? ", …" : ""})`;
    } else if (stats.acknowledged === 0) {
      valid = "unknown";
      summary = `None of the ${stats.attempted} generates was acknowledged: no id to compare (Jepsen's checker calls this valid)`;
    } else {
      valid = true;
      summary = `All ${stats.acknowledged} acknowledged ids are distinct (${stats.attempted} attempted; ids ${JSON.stringify(stats.range![0])} to ${JSON.stringify(stats.range![1])})`;
    }
    const result: UniqueIdsResult = { checker: "unique-ids", valid, summary: `${summary} (Jepsen's unique-ids checker).`, evidence: { duplicated }, stats };
    if (valid === false) result.focus = duplicated.slice(0, 5).flatMap((d) => d.operationIds.slice(0, 4));
    return result;
  }
}

/** Numbers ascending, then JSON strings. */
function compareKeys(a: ValueKey, b: ValueKey): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a !== typeof b) return typeof a === "number" ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
