/**
 * JSON values as EDN text, the way Jepsen writes them (results.edn, convert --to edn): what parsers/edn-reader.ts reads back as the same
 * values (keywords and strings both read as strings, so writing a name as a keyword is lossless).
 */

const KEYWORD_NAME = /^[A-Za-z*+!_?<>=-][A-Za-z0-9*+!_?<>=.\-/]*$/;

/** `:name` when `name` can be a keyword, else the string literal (EDN maps may have string keys). */
export function ednKeyword(name: string): string {
  return KEYWORD_NAME.test(name) && !name.endsWith("/") && name !== "/" ? `:${name}` : ednString(name);
}

/** JSON.stringify's escapes (\n, \", \\, \uXXXX) are all EDN (Clojure reader) escapes too. */
function ednString(text: string): string {
  return JSON.stringify(text);
}

export function ednValue(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  switch (typeof value) {
    case "boolean":
      return String(value);
    case "number":
      if (Number.isNaN(value)) return "##NaN";
      if (!Number.isFinite(value)) return value > 0 ? "##Inf" : "##-Inf";
      return String(value);
    case "bigint":
      return `${value}N`;
    case "string":
      return ednString(value);
    case "object":
      if (Array.isArray(value)) return `[${value.map(ednValue).join(" ")}]`;
      return ednMap(Object.entries(value));
    default:
      return ednString(String(value));
  }
}

/** A map with keyword keys; `literal` values are written as given (already EDN). */
export function ednMap(entries: [string, unknown][], literal: ReadonlySet<string> = new Set()): string {
  return `{${entries
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${ednKeyword(k)} ${literal.has(k) ? String(v) : ednValue(v)}`)
    .join(", ")}}`;
}
