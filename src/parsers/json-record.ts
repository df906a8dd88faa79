import { showValue } from "../history/show.ts";
import { exactInteger } from "./exact-integer.ts";
import { excessiveNesting, locateJsonError, MAX_JSON_DEPTH } from "./json-position.ts";

/** A JSON text read exactly, or where and why it could not be (0-based offset). */
export type JsonRead = { value: unknown } | { offset: number; reason: string };

/** Beyond this magnitude JSON.parse may have rounded an integer. */
const EXACT_LIMIT = 2 ** 53;

/**
 * Reads one JSON record (an NDJSON line, a JSON array's element) exactly: an integer a double
 * cannot hold exactly becomes its decimal text as a string (exact-integer.ts, as in EDN), a field repeated in one
 * object is an error at the repetition, and nesting deeper than MAX_JSON_DEPTH is refused.
 *
 * The common record costs one JSON.parse, a walk over its fields and a count of its colons: only
 * a record holding a number JSON.parse may have rounded, a nested object, or more colons than
 * fields (a repeated field is one colon more than the fields JSON.parse kept) is read again,
 * by `readExactly`.
 */
export function readJsonRecord(text: string): JsonRead {
  const deep = excessiveNesting(text);
  if (deep !== undefined) return { offset: deep, reason: `value nested deeper than ${MAX_JSON_DEPTH} levels; expected a flatter record` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const { offset, expected } = locateJsonError(text);
    return { offset, reason: `invalid JSON: expected ${expected}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || mayBeInexact(text, value as Record<string, unknown>)) return readExactly(text);
  return { value };
}

function mayBeInexact(text: string, record: Record<string, unknown>): boolean {
  let fields = 0;
  for (const key in record) {
    fields++;
    const v = record[key];
    if (typeof v === "number") {
      if (v >= EXACT_LIMIT || v <= -EXACT_LIMIT) return true;
    } else if (typeof v === "object" && v !== null && (!Array.isArray(v) || arrayMayBeInexact(v))) return true;
  }
  let colons = 0;
  for (let i = text.indexOf(":"); i !== -1; i = text.indexOf(":", i + 1)) if (++colons > fields) return true;
  return false;
}

/** True if the array holds a number at or beyond ±2^53 or an object, at any depth. */
function arrayMayBeInexact(array: unknown[]): boolean {
  for (const v of array) {
    if (typeof v === "number") {
      if (v >= EXACT_LIMIT || v <= -EXACT_LIMIT) return true;
    } else if (typeof v === "object" && v !== null && (!Array.isArray(v) || arrayMayBeInexact(v))) return true;
  }
  return false;
}

class JsonStop {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

/** Only texts JSON.parse accepted are read exactly, so these stops are for repeated fields and safety. */
const expected = (offset: number, what: string): JsonStop => new JsonStop(offset, `invalid JSON: expected ${what}`);

const INTEGER = /-?(?:0|[1-9]\d*)(?![.eE\d])/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SPACE = /[ \t\r\n]*/y;

/** A JSON reader that keeps big integers as text and refuses repeated fields; for valid JSON texts. */
function readExactly(text: string): JsonRead {
  let i = 0;
  const space = (): void => {
    SPACE.lastIndex = i;
    SPACE.test(text);
    i = SPACE.lastIndex;
  };
  const string = (): string => {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (!m) throw expected(i, 'a "quoted" string');
    i = STRING.lastIndex;
    return JSON.parse(m[0]) as string;
  };
  const value = (depth: number): unknown => {
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      const object: Record<string, unknown> = {};
      const seen = new Set<string>();
      space();
      if (text[i] === "}") return i++, object;
      for (;;) {
        space();
        const keyAt = i;
        const key = string();
        if (seen.has(key)) throw new JsonStop(keyAt, `field ${showValue(key)} given twice in one object; expected each field once`);
        seen.add(key);
        space();
        if (text[i] !== ":") throw expected(i, "':' after the field name");
        i++;
        const v = value(depth + 1);
        // A "__proto__" field stays a plain field, as JSON.parse keeps it.
        Object.defineProperty(object, key, { value: v, enumerable: true, writable: true, configurable: true });
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return i++, object;
        else throw expected(i, "',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const array: unknown[] = [];
      space();
      if (text[i] === "]") return i++, array;
      for (;;) {
        array.push(value(depth + 1));
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return i++, array;
        else throw expected(i, "',' or ']'");
      }
    }
    if (c === '"') return string();
    for (const [word, meaning] of LITERALS) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return meaning;
      }
    }
    INTEGER.lastIndex = i;
    const integer = INTEGER.exec(text);
    if (integer) {
      i = INTEGER.lastIndex;
      return exactInteger(integer[0]);
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (!number) throw expected(i, "a JSON value");
    i = NUMBER.lastIndex;
    return Number(number[0]);
  };
  try {
    const read = value(0);
    space();
    if (i < text.length) throw expected(i, "the end of the record after one JSON value");
    return { value: read };
  } catch (e) {
    if (e instanceof JsonStop) return { offset: e.offset, reason: e.reason };
    throw e;
  }
}

const LITERALS: [string, unknown][] = [
  ["true", true],
  ["false", false],
  ["null", null],
];
