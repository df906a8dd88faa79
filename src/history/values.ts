/**
 * The value vocabulary every layer shares: when two values are the same value, operation names
 * without a keyword's colon, and counted nouns.
 */

/**
 * The identity of a value: two values are the same when their keys are equal (SameValueZero, as
 * Map and Set compare). Numbers are their own key (no string per element, which matters for sets
 * of millions); nil, null and undefined are one value, as in Jepsen; anything else is its JSON,
 * which can never equal a number.
 */
export type ValueKey = number | string;

export function valueKey(value: unknown): ValueKey {
  if (typeof value === "number") return value;
  return value === undefined ? "null" : JSON.stringify(value);
}

/** The value a key stands for: valueKey's inverse (nil, null and undefined come back as null). */
export function valueOfKey(key: ValueKey): unknown {
  return typeof key === "number" ? key : JSON.parse(key);
}

/** An operation name without a keyword's leading colon: parsers may keep `:read` or give `read`. */
export function opName(f: string): string {
  return f.startsWith(":") ? f.slice(1) : f;
}

/** A fraction as a percentage, as every summary and report writes it: "0%", "78%", "28.6%", "0.13%"; "n/a" when undefined. */
export function formatPercent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "n/a";
  const p = x * 100;
  return `${Number.isInteger(p) ? p.toFixed(0) : p >= 10 ? p.toFixed(1) : p.toPrecision(2)}%`;
}

/** "1 element", "2 elements". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
