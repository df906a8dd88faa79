import { OP_TYPES, type OpType } from "./op.ts";
import { cutText, SHOWN_VALUE_CHARACTERS } from "./show.ts";

export const HISTORY_SCHEMA_PATH = new URL("../../schema/history.schema.json", import.meta.url);

const OP_TYPE_LIST = OP_TYPES.map((t) => JSON.stringify(t)).join(", ");
const INTEGER_TEXT = /^-?\d+$/;

/**
 * Checks one record against schema/history.schema.json; returns what is wrong, or undefined.
 * Written out by hand rather than compiled from the schema at start-up: it runs once per record
 * and the schema is small (test/history/schema.test.ts holds it to the schema file, rule by rule,
 * in the schema's order: the first broken rule is the one reported).
 */
export function schemaError(record: unknown): string | undefined {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return "record must be a JSON object";
  const r = record as Record<string, unknown>;
  if (r.type === undefined) return missing("type");
  if (r.f === undefined) return missing("f");
  if (r.process === undefined) return missing("process");
  if (r.index !== undefined) {
    if (!isInteger(r.index)) return "field index must be of type integer";
    if (r.index < 0) return "field index must be >= 0";
  }
  if (!OP_TYPES.includes(r.type as OpType)) return `field type must be one of ${OP_TYPE_LIST}`;
  if (typeof r.f !== "string") return "field f must be of type string";
  if (r.f.length === 0) return "field f must NOT have fewer than 1 characters";
  if (!isInteger(r.process) && !(typeof r.process === "string" && r.process.length > 0)) {
    return `field process must be an integer (client) or a non-empty string (e.g. "nemesis")`;
  }
  if (r.time !== undefined) {
    if (typeof r.time === "string" && INTEGER_TEXT.test(r.time)) {
      return `field time ${cutText(r.time, SHOWN_VALUE_CHARACTERS)} cannot be held exactly (integers beyond 2^53 ns, 104 days, are rounded); expected nanoseconds since the test began`;
    }
    if (typeof r.time !== "number" || !Number.isFinite(r.time)) return "field time must be of type number";
    if (r.time < 0) return "field time must be >= 0";
  }
  if (r.node !== undefined && typeof r.node !== "string") return "field node must be of type string";
  return undefined;
}

function missing(field: string): string {
  return `missing field "${field}" (every record needs type, f and process)`;
}

function isInteger(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x);
}
