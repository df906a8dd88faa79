/** Deeper values are refused: every later stage (reports, checkers) would have to recurse through them. */
export const MAX_JSON_DEPTH = 512;

/**
 * Where a JSON text nests deeper than MAX_JSON_DEPTH (0-based offset), or undefined. Cheap for
 * ordinary lines: it only scans when there are enough brackets to matter.
 */
export function excessiveNesting(text: string): number | undefined {
  let brackets = 0;
  for (let i = text.indexOf("["); i !== -1 && brackets <= MAX_JSON_DEPTH; i = text.indexOf("[", i + 1)) brackets++;
  for (let i = text.indexOf("{"); i !== -1 && brackets <= MAX_JSON_DEPTH; i = text.indexOf("{", i + 1)) brackets++;
  if (brackets <= MAX_JSON_DEPTH) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      if (++depth > MAX_JSON_DEPTH) return i;
    } else if (c === "]" || c === "}") depth--;
  }
  return undefined;
}

/**
 * Finds where a JSON text stops being valid, for error messages: V8's JSON.parse does not always
 * say. Only called after JSON.parse has failed, so it favours clarity over speed.
 * Returns the 0-based offset and what was expected there.
 */
export function locateJsonError(text: string): { offset: number; expected: string } {
  let i = 0;
  const fail = (expected: string): never => {
    throw { offset: i, expected };
  };
  const ws = (): void => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const value = (depth: number): void => {
    if (depth > MAX_JSON_DEPTH) fail(`nesting no deeper than ${MAX_JSON_DEPTH} levels`);
    ws();
    const c = text[i];
    if (c === undefined) fail("a value (the line ended early)");
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a "quoted" field name');
        string();
        ws();
        if (text[i] !== ":") fail("':' after the field name");
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "}") return void i++;
        fail("',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "]") return void i++;
        fail("',' or ']'");
      }
    }
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!literal) fail("a JSON value (object, array, string, number, true, false or null)");
    i += literal![0].length;
  };
  const string = (): void => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c === "\\") {
        if (!/^\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(text.slice(i, i + 6))) fail("a valid escape (\\n, \\\", \\uXXXX, …)");
        i += text[i + 1] === "u" ? 6 : 2;
        continue;
      }
      if (c < " ") fail("no raw control characters inside a string");
      i++;
    }
    fail('a closing \'"\'');
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail("the end of the line after one JSON value");
  } catch (e) {
    if (typeof e === "object" && e !== null && "offset" in e) return e as { offset: number; expected: string };
    throw e;
  }
  return { offset: 0, expected: "valid JSON" };
}
