/**
 * An integer literal (optional sign, decimal digits) as a number when a double holds it exactly,
 * else as its canonical decimal text (no '+', no leading zeros), so that no reader rounds an
 * integer: 2^60 stays a number, 2^53 + 1 becomes "9007199254740993". The same text always maps
 * to the same value.
 */
export function exactInteger(literal: string): number | string {
  const n = Number(literal);
  if (Number.isSafeInteger(n)) return n;
  const canonical = literal.replace(/^\+/, "").replace(/^(-?)0+(?=\d)/, "$1");
  return Number.isFinite(n) && BigInt(canonical) === BigInt(n) ? n : canonical;
}
