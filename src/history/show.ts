/**
 * Values and texts as a person is shown them (stderr, report.md, report.html): cut to a readable
 * length, with a marker, so a value of many megabytes never floods a terminal or a report.
 * Machines get values whole (verdict.json, `--json`, `convert`).
 */

/** Characters of a value shown inline (a message, a table cell, a tooltip). */
export const SHOWN_VALUE_CHARACTERS = 200;
/** Characters of a text shown (a sentence or a line of a listing that may quote values). */
export const SHOWN_TEXT_CHARACTERS = 2000;

/** `text`, or its first `limit` characters and a marker saying how many more there were. */
export function cutText(text: string, limit = SHOWN_TEXT_CHARACTERS): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… (${(text.length - limit).toLocaleString("en")} more characters)`;
}

/**
 * A JSON-shaped value as JSON text, cut to about `limit` characters ("… (cut)" after a cut
 * collection, the count of characters left out after a cut string). Never writes much more
 * than it shows, however large the value.
 */
export function showValue(value: unknown, limit = SHOWN_VALUE_CHARACTERS): string {
  if (typeof value === "string") return showString(value, limit);
  // A number, boolean or nil (most values shown) is its JSON whole, as emit below would give it.
  if (limit > 0 && (value === null || typeof value !== "object")) return JSON.stringify(value) ?? String(value);
  const out: string[] = [];
  const budget = { left: limit };
  return emit(value, out, budget) ? out.join("") : `${out.join("")}… (cut)`;
}

function showString(text: string, limit: number): string {
  if (text.length <= limit) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, limit))}… (${(text.length - limit).toLocaleString("en")} more characters)`;
}

/** Appends the value's JSON while the budget lasts; false once it ran out. */
function emit(value: unknown, out: string[], budget: { left: number }): boolean {
  if (budget.left <= 0) return false;
  if (Array.isArray(value)) {
    return collection("[", "]", value.length, (i) => emit(value[i], out, budget), out, budget);
  }
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value);
    return collection("{", "}", keys.length, (i) => {
      const key = JSON.stringify(keys[i]!);
      out.push(key, ":");
      budget.left -= key.length + 1;
      return emit((value as Record<string, unknown>)[keys[i]!], out, budget);
    }, out, budget);
  }
  if (typeof value === "string" && value.length > budget.left) {
    // Cut inside a collection: the opening quote and what fits; the caller marks the cut.
    out.push(JSON.stringify(value.slice(0, budget.left)).slice(0, -1));
    budget.left = 0;
    return false;
  }
  const text = JSON.stringify(value) ?? String(value);
  out.push(text);
  budget.left -= text.length;
  return true;
}

function collection(open: string, close: string, length: number, item: (i: number) => boolean, out: string[], budget: { left: number }): boolean {
  out.push(open);
  budget.left -= 1;
  for (let i = 0; i < length; i++) {
    if (i > 0) {
      out.push(",");
      budget.left -= 1;
    }
    if (budget.left <= 0 || !item(i)) return false;
  }
  out.push(close);
  budget.left -= 1;
  return true;
}
