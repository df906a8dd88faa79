/**
 * Set elements as checkers compare and print them: equality by value (numbers by number, anything
 * else by its JSON), and lists compacted as integer runs ("0..3 5 9..12").
 */

/** The identity of an element: two values are the same element when their keys are equal. */
export function elementKey(value: unknown): string {
  return typeof value === "number" ? String(value) : JSON.stringify(value) ?? "undefined";
}

/** Integers ascending, then other values (JSON) in the given order. */
export function sortElements(values: readonly unknown[]): unknown[] {
  const integers = values.filter(Number.isInteger) as number[];
  const others = values.filter((v) => !Number.isInteger(v));
  return [...integers.sort((a, b) => a - b), ...others];
}

/**
 * Integers as runs ("0..3 5 9..12"), then any other values as JSON; after `limit` runs the rest is
 * counted ("… 40 more elements") so a list of random losses stays readable.
 */
export function compactElements(values: readonly unknown[], limit = Infinity): string {
  const parts: string[] = [];
  const integers = [...new Set(values.filter(Number.isInteger) as number[])].sort((a, b) => a - b);
  const counts: number[] = [];
  for (let i = 0; i < integers.length; ) {
    let j = i;
    while (j + 1 < integers.length && integers[j + 1] === integers[j]! + 1) j++;
    parts.push(j === i ? String(integers[i]) : `${integers[i]}..${integers[j]}`);
    counts.push(j - i + 1);
    i = j + 1;
  }
  for (const v of values) {
    if (!Number.isInteger(v)) {
      parts.push(elementKey(v));
      counts.push(1);
    }
  }
  if (parts.length <= limit) return parts.join(" ");
  const rest = counts.slice(limit).reduce((a, b) => a + b, 0);
  return `${parts.slice(0, limit).join(" ")} … ${rest} more element${rest === 1 ? "" : "s"}`;
}
