/**
 * Set elements as checkers sort, sample and print them: lists compacted as integer runs
 * ("0..3 5 9..12"). Which values are the same element is history/values.ts: valueKey.
 */
import { plural, valueKey } from "../../history/values.ts";

/** Integers ascending, then other values (JSON) in the given order. */
export function sortElements(values: readonly unknown[]): unknown[] {
  const integers = values.filter(Number.isInteger) as number[];
  const others = values.filter((v) => !Number.isInteger(v));
  return [...integers.sort((a, b) => a - b), ...others];
}

/** Per-element evidence kept in verdict.json: beyond this, an evenly spaced sample. */
export const MAX_ELEMENTS_KEPT = 20_000;

/** At most `limit` items, evenly spaced, the first kept: enough to draw, bounded in size. */
export function spread<T>(items: readonly T[], limit = MAX_ELEMENTS_KEPT): T[] {
  return spreadIndices(items.length, limit).map((i) => items[i]!);
}

/**
 * The ascending positions `spread` keeps out of `n`, so a caller can keep just those while it
 * walks millions of items instead of building them all first.
 */
export function spreadIndices(n: number, limit = MAX_ELEMENTS_KEPT): number[] {
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: limit }, (_, i) => Math.floor((i * n) / limit));
}

interface Run {
  text: string;
  size: number;
}

/**
 * Integers as runs ("0..3 5 9..12"); tuples ending in an integer grouped by the rest
 * ("[0, 0..3 7]" for [0,0] [0,1] [0,2] [0,3] [0,7]); anything else as JSON. After `limit` runs the
 * rest is counted ("… 40 more elements") so a list of random losses stays readable.
 */
export function compactElements(values: readonly unknown[], limit = Infinity): string {
  const runs = integerRuns(values.filter(Number.isInteger) as number[]);
  const tuples = new Map<string, number[]>();
  for (const v of values) {
    if (Number.isInteger(v)) continue;
    if (Array.isArray(v) && v.length > 1 && Number.isInteger(v.at(-1))) {
      const prefix = v.slice(0, -1).map(valueKey).join(", ");
      (tuples.get(prefix) ?? tuples.set(prefix, []).get(prefix)!).push(v.at(-1) as number);
    } else runs.push({ text: String(valueKey(v)), size: 1 });
  }
  for (const [prefix, lasts] of tuples) {
    const inner = integerRuns(lasts);
    inner.forEach((run, i) => runs.push({ text: `${i === 0 ? `[${prefix}, ` : ""}${run.text}${i === inner.length - 1 ? "]" : ""}`, size: run.size }));
  }
  if (runs.length <= limit) return runs.map((r) => r.text).join(" ");
  const rest = runs.slice(limit).reduce((a, r) => a + r.size, 0);
  return `${runs.slice(0, limit).map((r) => r.text).join(" ")} … ${plural(rest, "more element")}`;
}

function integerRuns(values: readonly number[]): Run[] {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const runs: Run[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    runs.push({ text: j === i ? String(sorted[i]) : `${sorted[i]}..${sorted[j]}`, size: j - i + 1 });
    i = j + 1;
  }
  return runs;
}
