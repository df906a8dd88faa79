/**
 * The common JSON record read straight from its UTF-8 bytes, without decoding the line to a
 * string or calling JSON.parse: an object whose values are ASCII strings without escapes,
 * integers of at most 15 digits (a double holds them exactly), decimals, true, false, null and
 * arrays of these, no field given twice. Anything else — a line that is not such a record, or
 * is not valid JSON — gives undefined, and the caller reads the line carefully
 * (json-record.ts), which is what locates errors and keeps big integers exact. For what it
 * accepts it gives what readJsonRecord gives, fields in the order written
 * (test/parsers/json-bytes.test.ts holds the two together).
 *
 * Short strings (field names, `type`, `f`, node names) are interned through a small table, so a
 * million records hold a handful of copies of "invoke" rather than a million.
 */

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const PLUS = 0x2b;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;

/** Arrays nested deeper go to the careful reader, which enforces MAX_JSON_DEPTH. */
const MAX_PLAIN_DEPTH = 32;
/** Integers longer than this may be beyond 2^53: the careful reader decides. */
const MAX_PLAIN_DIGITS = 15;
/** Strings up to this length are interned. */
const MAX_INTERNED_LENGTH = 32;
const TABLE_SIZE = 4096;

/** Returned by the value readers when the record needs the careful reader. */
const NOT_PLAIN: unique symbol = Symbol("not plain");

let at = 0;
/** The names of the fields read so far in the current record, to refuse a repeated one. */
const seen: string[] = [];
/** The previous record's field names by position: records of one history mostly repeat a layout. */
const layout: string[] = [];

/**
 * Reads `bytes[start, end)` as one plain JSON record, or returns undefined if it is not one
 * (the caller then reads it with readJsonRecord, which says what is wrong if anything is).
 */
export function readPlainRecord(bytes: Buffer, start: number, end: number): Record<string, unknown> | undefined {
  at = start;
  if (bytes[at] !== OPEN_BRACE) return undefined;
  at++;
  skipSpace(bytes, end);
  const record = new (PlainObject as unknown as new () => Record<string, unknown>)();
  let fields = 0;
  if (bytes[at] === CLOSE_BRACE) at++;
  else {
    for (;;) {
      if (bytes[at] !== QUOTE) return undefined;
      const name = readName(bytes, end, fields);
      if (name === NOT_PLAIN || name === "__proto__") return undefined;
      for (let i = 0; i < fields; i++) if (seen[i] === name) return undefined;
      seen[fields++] = name;
      skipSpace(bytes, end);
      if (bytes[at] !== COLON) return undefined;
      at++;
      skipSpace(bytes, end);
      const value = readValue(bytes, end, 1);
      if (value === NOT_PLAIN) return undefined;
      store(record, name, value);
      skipSpace(bytes, end);
      const next = bytes[at++];
      if (next === COMMA) {
        skipSpace(bytes, end);
        continue;
      }
      if (next === CLOSE_BRACE) break;
      return undefined;
    }
  }
  skipSpace(bytes, end);
  return at === end ? record : undefined;
}

/**
 * The schema's fields are stored by name, so each store site sees the few shapes records come
 * in (fast, and compiled to a fixed layout) rather than one keyed store seeing them all.
 */
function store(record: Record<string, unknown>, name: string, value: unknown): void {
  switch (name) {
    case "type":
      record.type = value;
      break;
    case "f":
      record.f = value;
      break;
    case "value":
      record.value = value;
      break;
    case "process":
      record.process = value;
      break;
    case "time":
      record.time = value;
      break;
    case "index":
      record.index = value;
      break;
    case "node":
      record.node = value;
      break;
    case "error":
      record.error = value;
      break;
    default:
      record[name] = value;
  }
}

/**
 * Makes the same objects as `{}` (their prototype is Object.prototype), but V8 sizes a
 * constructor's objects to the fields they come to hold, where `{}` has room for four and puts
 * the rest in a second allocation: the held history is smaller and cheaper to collect.
 */
function PlainObject(): void {}
PlainObject.prototype = Object.prototype;

function skipSpace(bytes: Buffer, end: number): void {
  while (at < end) {
    const c = bytes[at];
    if (c !== SPACE && c !== TAB && c !== CR) return;
    at++;
  }
}

function readValue(bytes: Buffer, end: number, depth: number): unknown {
  const c = bytes[at];
  if (c === QUOTE) return readString(bytes, end, values);
  if (c === OPEN_BRACKET) return depth < MAX_PLAIN_DEPTH ? readArray(bytes, end, depth + 1) : NOT_PLAIN;
  if (c === 0x6e) return readWord(bytes, end, NULL_BYTES, null);
  if (c === 0x74) return readWord(bytes, end, TRUE_BYTES, true);
  if (c === 0x66) return readWord(bytes, end, FALSE_BYTES, false);
  if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) return readNumber(bytes, end);
  return NOT_PLAIN;
}

function readArray(bytes: Buffer, end: number, depth: number): unknown[] | typeof NOT_PLAIN {
  at++;
  skipSpace(bytes, end);
  const array: unknown[] = [];
  if (bytes[at] === CLOSE_BRACKET) {
    at++;
    return array;
  }
  for (;;) {
    const value = readValue(bytes, end, depth);
    if (value === NOT_PLAIN) return NOT_PLAIN;
    array.push(value);
    skipSpace(bytes, end);
    const next = bytes[at++];
    if (next === COMMA) skipSpace(bytes, end);
    else if (next === CLOSE_BRACKET) return array;
    else return NOT_PLAIN;
  }
}

const NULL_BYTES = [0x6e, 0x75, 0x6c, 0x6c];
const TRUE_BYTES = [0x74, 0x72, 0x75, 0x65];
const FALSE_BYTES = [0x66, 0x61, 0x6c, 0x73, 0x65];

function readWord<T>(bytes: Buffer, end: number, word: number[], meaning: T): T | typeof NOT_PLAIN {
  if (at + word.length > end) return NOT_PLAIN;
  for (let i = 1; i < word.length; i++) if (bytes[at + i] !== word[i]) return NOT_PLAIN;
  at += word.length;
  return meaning;
}

/** JSON's number grammar exactly; integers of up to 15 digits summed here, decimals by Number. */
function readNumber(bytes: Buffer, end: number): number | typeof NOT_PLAIN {
  const start = at;
  let i = at;
  if (bytes[i] === MINUS) i++;
  const digitsFrom = i;
  let n = 0;
  while (i < end) {
    const c = bytes[i]!;
    if (c < ZERO || c > NINE) break;
    n = n * 10 + (c - ZERO);
    i++;
  }
  const digits = i - digitsFrom;
  if (digits === 0 || (digits > 1 && bytes[digitsFrom] === ZERO)) return NOT_PLAIN;
  const c = i < end ? bytes[i] : undefined;
  if (c !== DOT && c !== LOWER_E && c !== UPPER_E) {
    if (digits > MAX_PLAIN_DIGITS) return NOT_PLAIN;
    at = i;
    return digitsFrom === start ? n : -n;
  }
  if (c === DOT) {
    i = skipDigits(bytes, end, i + 1);
    if (i === -1) return NOT_PLAIN;
  }
  if (i < end && (bytes[i] === LOWER_E || bytes[i] === UPPER_E)) {
    i++;
    if (i < end && (bytes[i] === PLUS || bytes[i] === MINUS)) i++;
    i = skipDigits(bytes, end, i);
    if (i === -1) return NOT_PLAIN;
  }
  at = i;
  return Number(latin1(bytes, start, i));
}

/** The index after one or more digits from `i`, or -1 if there is none. */
function skipDigits(bytes: Buffer, end: number, i: number): number {
  const from = i;
  while (i < end && bytes[i]! >= ZERO && bytes[i]! <= NINE) i++;
  return i > from ? i : -1;
}

/** The name of the record's field number `field`: the previous record's there, when the bytes say so. */
function readName(bytes: Buffer, end: number, field: number): string | typeof NOT_PLAIN {
  const expected = layout[field];
  if (expected !== undefined) {
    const from = at + 1;
    const length = expected.length;
    if (from + length < end && bytes[from + length] === QUOTE) {
      let j = 0;
      while (j < length && expected.charCodeAt(j) === bytes[from + j]) j++;
      if (j === length) {
        at = from + length + 1;
        return expected;
      }
    }
  }
  const name = readString(bytes, end, names);
  if (name !== NOT_PLAIN) layout[field] = name;
  return name;
}

/** A string of printable ASCII without escapes, interned in `table` when short. */
function readString(bytes: Buffer, end: number, table: InternTable): string | typeof NOT_PLAIN {
  const start = at + 1;
  let i = start;
  let hash = 0;
  for (;;) {
    if (i >= end) return NOT_PLAIN;
    const c = bytes[i]!;
    if (c === QUOTE) break;
    if (c === BACKSLASH || c < SPACE || c > 0x7e) return NOT_PLAIN;
    hash = (Math.imul(hash, 31) + c) | 0;
    i++;
  }
  at = i + 1;
  return i - start > MAX_INTERNED_LENGTH ? latin1(bytes, start, i) : table.get(bytes, start, i, hash);
}

/**
 * Short strings by the hash of their bytes, each kept beside its bytes so that a hit is checked
 * on bytes alone; a collision replaces the older entry.
 */
class InternTable {
  private readonly strings: string[] = new Array<string>(TABLE_SIZE).fill("");
  /** Each entry's length + 1; 0 when empty. */
  private readonly lengths = new Uint8Array(TABLE_SIZE);
  private readonly bytes = new Uint8Array(TABLE_SIZE * MAX_INTERNED_LENGTH);

  /** Field names are internalised by V8 once, here, rather than on every store under them. */
  constructor(private readonly propertyNames: boolean) {}

  get(source: Buffer, start: number, end: number, hash: number): string {
    const length = end - start;
    const slot = (hash ^ (hash >>> 12)) & (TABLE_SIZE - 1);
    const from = slot * MAX_INTERNED_LENGTH;
    if (this.lengths[slot] === length + 1) {
      let j = 0;
      while (j < length && this.bytes[from + j] === source[start + j]) j++;
      if (j === length) return this.strings[slot]!;
    }
    const text = latin1(source, start, end);
    const made = this.propertyNames ? Object.keys({ [text]: 0 })[0]! : text;
    this.strings[slot] = made;
    this.lengths[slot] = length + 1;
    for (let j = 0; j < length; j++) this.bytes[from + j] = source[start + j]!;
    return made;
  }
}

const names = new InternTable(true);
const values = new InternTable(false);

function latin1(bytes: Buffer, start: number, end: number): string {
  return bytes.toString("latin1", start, end);
}
