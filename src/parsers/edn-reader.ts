/**
 * A small EDN reader producing JSON-shaped values, used by the EDN and Jepsen-log parsers.
 *
 * Mapping: keywords and symbols become strings without the colon (`:ok` → "ok", `:a/b` → "a/b");
 * `nil` → null; vectors, lists and sets → arrays (in written order); maps → objects whose keys
 * are strings (integer keys in decimal, as elle-cli's JSON writes them; other keys in JSON);
 * tagged values (`#inst "…"`, `#jepsen.history.Op{…}`) → the value after the tag; characters
 * → one-character strings; integers a double cannot hold exactly (beyond 2^53) and ratios →
 * their decimal text as a string, so they are never rounded (exact-integer.ts); `#_` discards the next form. A key given twice in one map, and
 * collections nested deeper than the JSON readers allow (MAX_JSON_DEPTH), are syntax errors.
 */

import { cutText, SHOWN_VALUE_CHARACTERS, showValue } from "../history/show.ts";
import { exactInteger } from "./exact-integer.ts";
import { MAX_JSON_DEPTH } from "./json-position.ts";

export type EdnValue = null | boolean | number | string | EdnValue[] | { [key: string]: EdnValue };

/** The text is not EDN; `offset` is where reading stopped. */
export class EdnSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** The text ended inside a form: with more input it may still be fine. */
export class EdnIncomplete extends Error {
  /** What would have finished the form, for messages. */
  readonly expected: string;
  constructor(
    /** Where the unfinished form opened. */
    readonly openedAt: number,
    closer: string,
  ) {
    const expected = closer.length === 1 ? `a closing '${closer === "\n" ? "newline" : closer}'` : closer;
    super(`the input ended inside a form opened here; expected ${expected}`);
    this.expected = expected;
  }
}

/** Characters that end a token, by char code (all ASCII). */
const DELIMITER = new Uint8Array(128);
for (const c of " \t\n\r\f\v,()[]{}\";") DELIMITER[c.charCodeAt(0)] = 1;
const SAFE_INTEGER = /^[+-]?\d+N?$/;
const FLOAT = /^[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?M?$/;
const RATIO = /^[+-]?\d+\/\d+$/;
const HEX = /^[+-]?0[xX][0-9a-fA-F]+N?$/;
const NAMED_CHARACTERS: Record<string, string> = { newline: "\n", space: " ", tab: "\t", return: "\r", backspace: "\b", formfeed: "\f" };
const STRING_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", '"': '"', "\\": "\\" };
const CLOSERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

/**
 * Reads EDN forms from `text` starting at `pos`. When the text may continue (`complete` false),
 * running out of it inside a form throws EdnIncomplete so the caller can append more and retry.
 */
export class EdnReader {
  pos: number;
  /** Collections open around the current position. */
  private depth = 0;

  constructor(
    readonly text: string,
    pos = 0,
    private readonly complete = true,
  ) {
    this.pos = pos;
  }

  /** Skips whitespace, commas, `;` comments and `#_` discarded forms; true if a form follows. */
  skipSpace(): boolean {
    const text = this.text;
    for (;;) {
      while (this.pos < text.length) {
        const c = text.charCodeAt(this.pos);
        // space, tab, newline, carriage return, form feed, vertical tab, comma
        if (c === 32 || c === 44 || (c >= 9 && c <= 13)) this.pos++;
        else break;
      }
      if (this.pos >= text.length) return false;
      const c = text[this.pos];
      if (c === ";") {
        const end = text.indexOf("\n", this.pos);
        if (end === -1) {
          if (!this.complete) throw new EdnIncomplete(this.pos, "\n");
          this.pos = text.length;
          return false;
        }
        this.pos = end + 1;
      } else if (c === "#" && text[this.pos + 1] === "_") {
        const start = this.pos;
        this.enter();
        try {
          this.pos += 2;
          if (!this.skipSpace()) this.endedInside(start, "a form after #_");
          this.read();
        } finally {
          this.depth--;
        }
      } else {
        return true;
      }
    }
  }

  /** Reads one form; the caller has checked (skipSpace) that one starts here. */
  read(): EdnValue {
    const c = this.text.charCodeAt(this.pos);
    // '(' '[' '{' '#': forms that hold forms, so nesting is counted.
    if (c !== 40 && c !== 91 && c !== 123 && c !== 35) return this.readForm();
    this.enter();
    try {
      return this.readForm();
    } finally {
      this.depth--;
    }
  }

  /**
   * Deeper values are refused: reading them would exhaust the stack, and every later stage
   * (reports, checkers) would have to recurse through them.
   */
  private enter(): void {
    if (this.depth >= MAX_JSON_DEPTH) throw new EdnSyntaxError(`value nested deeper than ${MAX_JSON_DEPTH} levels; expected a flatter record`, this.pos);
    this.depth++;
  }

  private readForm(): EdnValue {
    const text = this.text;
    const start = this.pos;
    const c = text[start]!;
    switch (c) {
      case "[":
      case "(":
        this.pos++;
        return this.readSequence(start, CLOSERS[c]!);
      case "{":
        this.pos++;
        return this.readMap(start);
      case '"':
        return this.readString();
      case "\\":
        return this.readCharacter();
      case "#":
        return this.readDispatch();
      case ")":
      case "]":
      case "}":
        throw new EdnSyntaxError(`unexpected '${c}' with nothing open to close`, start);
      default:
        return this.readAtom();
    }
  }

  private readSequence(openedAt: number, closer: string): EdnValue[] {
    const items: EdnValue[] = [];
    for (;;) {
      if (!this.skipSpace()) this.endedInside(openedAt, closer);
      if (this.atCloser(openedAt, closer)) return items;
      items.push(this.read());
    }
  }

  private readMap(openedAt: number): { [key: string]: EdnValue } {
    const map: { [key: string]: EdnValue } = {};
    for (;;) {
      if (!this.skipSpace()) this.endedInside(openedAt, "}");
      if (this.atCloser(openedAt, "}")) return map;
      const keyAt = this.pos;
      const key = mapKey(this.read());
      if (Object.hasOwn(map, key)) throw new EdnSyntaxError(`key ${showValue(key)} given twice in one map; expected each key once`, keyAt);
      if (!this.skipSpace()) this.endedInside(openedAt, "}");
      if (this.text[this.pos] === "}") throw new EdnSyntaxError(`the map key at this position has no value (a map needs key-value pairs)`, keyAt);
      const value = this.read();
      // A "__proto__" key must stay a plain field, not change the object's prototype.
      if (key === "__proto__") Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
      else map[key] = value;
    }
  }

  /** True (and past it) at the expected closer; a different closer is a syntax error. */
  private atCloser(openedAt: number, closer: string): boolean {
    const c = this.text[this.pos]!;
    if (c === closer) {
      this.pos++;
      return true;
    }
    if (c === ")" || c === "]" || c === "}") throw new EdnSyntaxError(`expected '${closer}' to close the '${this.text[openedAt]}' opened earlier, found '${c}'`, this.pos);
    return false;
  }

  private readString(): string {
    const text = this.text;
    const openedAt = this.pos;
    let i = openedAt + 1;
    let out = "";
    for (;;) {
      const quote = text.indexOf('"', i);
      const backslash = text.indexOf("\\", i);
      if (quote === -1 && (backslash === -1 || !this.complete)) return this.endedInside(openedAt, '"');
      if (backslash === -1 || (quote !== -1 && quote < backslash)) {
        this.pos = quote + 1;
        return out + text.slice(i, quote);
      }
      out += text.slice(i, backslash);
      const e = text[backslash + 1];
      if (e === undefined) return this.endedInside(openedAt, '"');
      if (e === "u") {
        const hex = text.slice(backslash + 2, backslash + 6);
        if (hex.length < 4 && !this.complete) return this.endedInside(openedAt, '"');
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new EdnSyntaxError("expected four hex digits after \\u", backslash);
        out += String.fromCharCode(parseInt(hex, 16));
        i = backslash + 6;
      } else {
        const escaped = STRING_ESCAPES[e];
        if (escaped === undefined) throw new EdnSyntaxError(`unknown escape '\\${e}' in a string (expected \\n, \\t, \\", \\\\, \\uXXXX, …)`, backslash);
        out += escaped;
        i = backslash + 2;
      }
    }
  }

  private readCharacter(): string {
    const start = this.pos;
    const end = this.tokenEnd(start + 2);
    const name = this.text.slice(start + 1, end);
    this.pos = end;
    if (name.length === 1) return name;
    const named = NAMED_CHARACTERS[name];
    if (named !== undefined) return named;
    if (/^u[0-9a-fA-F]{4}$/.test(name)) return String.fromCharCode(parseInt(name.slice(1), 16));
    throw new EdnSyntaxError(`unknown character literal ${showValue(`\\${name}`)}`, start);
  }

  private readDispatch(): EdnValue {
    const start = this.pos;
    const next = this.text[start + 1];
    if (next === undefined) return this.endedInside(start, "a form after '#'");
    if (next === "{") {
      this.pos += 2;
      return this.readSequence(start, "}");
    }
    const tagEnd = this.tokenEnd(start + 1);
    if (tagEnd === start + 1) throw new EdnSyntaxError(`expected a tag (#inst, #uuid, #my.Record{…}) or a set #{…} after '#', found '${next}'`, start);
    this.pos = tagEnd;
    if (!this.skipSpace()) this.endedInside(start, `a value after the tag ${cutText(this.text.slice(start, tagEnd), SHOWN_VALUE_CHARACTERS)}`);
    return this.read();
  }

  private readAtom(): EdnValue {
    const start = this.pos;
    const end = this.tokenEnd(start);
    const token = this.text.slice(start, end);
    this.pos = end;
    if (token === "nil") return null;
    if (token === "true") return true;
    if (token === "false") return false;
    const c = token[0]!;
    if (c === ":") {
      if (token.length === 1) throw new EdnSyntaxError("a keyword needs a name after ':'", start);
      return token.slice(1);
    }
    if ((c >= "0" && c <= "9") || ((c === "-" || c === "+") && token[1] !== undefined && token[1] >= "0" && token[1] <= "9")) {
      return number(token, start);
    }
    return token;
  }

  /** End of the symbol-like token starting at `from`; an unfinished buffer may hold more of it. */
  private tokenEnd(from: number): number {
    const text = this.text;
    let i = from;
    for (let c = text.charCodeAt(i); i < text.length && (c >= 128 || DELIMITER[c] === 0); c = text.charCodeAt(++i));
    if (i === text.length && !this.complete) throw new EdnIncomplete(this.pos, "the rest of the token");
    return i;
  }

  private endedInside(openedAt: number, closer: string): never {
    throw new EdnIncomplete(openedAt, closer);
  }
}

function number(token: string, at: number): number | string {
  // Most numbers in histories are small plain integers: no regular expression for those.
  if (token.length < 16 && isDigits(token)) return Number(token);
  if (SAFE_INTEGER.test(token)) {
    return exactInteger(token.replace(/N$/, ""));
  }
  if (FLOAT.test(token)) return Number(token.replace(/M$/, ""));
  if (RATIO.test(token)) return token.replace(/^\+/, "");
  // Clojure's printer writes hexadecimal integers inside #object[… 0x5a4b …] (test.edn).
  if (HEX.test(token)) {
    const magnitude = BigInt(token.replace(/^[+-]/, "").replace(/N$/, "").toLowerCase());
    return number((token.startsWith("-") ? -magnitude : magnitude).toString(), at);
  }
  throw new EdnSyntaxError(`${showValue(token)} is not a number`, at);
}

function isDigits(token: string): boolean {
  for (let i = token.charCodeAt(0) === 45 ? 1 : 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return token.length > 0 && token !== "-";
}

function mapKey(key: EdnValue): string {
  if (typeof key === "string") return key;
  if (typeof key === "number") return String(key);
  return JSON.stringify(key);
}

/** Reads one whole EDN value from a string (e.g. a Jepsen log's value field); errors carry offsets. */
export function readEdnValue(text: string): EdnValue {
  const reader = new EdnReader(text);
  try {
    if (!reader.skipSpace()) throw new EdnSyntaxError("expected an EDN value, found nothing", text.length);
    const value = reader.read();
    if (reader.skipSpace()) throw new EdnSyntaxError("expected one EDN value, found more after it", reader.pos);
    return value;
  } catch (e) {
    if (e instanceof EdnIncomplete) throw new EdnSyntaxError(e.message, e.openedAt);
    throw e;
  }
}
