import { EdnSyntaxError, readEdnValue, type EdnValue } from "./edn-reader.ts";
import { JepsenOps } from "./jepsen-ops.ts";
import { forEachLine, headLines } from "./lines.ts";
import type { Parser } from "./parser.ts";

/**
 * Jepsen's text logs of ops (jepsen.util/log-op): `P\t:type\t:f\tVALUE[\tERROR]`, either bare
 * (history.txt) or behind a log prefix, `INFO  jepsen.util - ` (2014–16) or
 * `2021-02-26 11:42:48,806{GMT}\tINFO\t[jepsen worker 1] jepsen.util: ` (later). VALUE is EDN;
 * other log lines are skipped and counted.
 */
export const jepsenLogParser: Parser = {
  name: "jepsen-log",
  description: "Jepsen text logs: P<TAB>:type<TAB>:f<TAB>VALUE lines, bare or after INFO jepsen.util",
  sniff(head) {
    if (headLines(head).some((line) => opFields(line) !== undefined)) return true;
    return `no line of the form "INFO  jepsen.util - 0<TAB>:invoke<TAB>:read<TAB>nil" (or bare "0<TAB>:invoke<TAB>:read<TAB>nil") in the first ${head.length} characters`;
  },
  async parse(file, sink) {
    const ops = new JepsenOps(sink);
    await forEachLine(file, (line, n) => {
      const found = opFields(line);
      if (found === undefined) {
        if (line.trim().length > 0) sink.ignored(n, "not an op line");
        return;
      }
      const record = readRecord(found.fields, found.start);
      if ("problem" in record) sink.bad(n, record.column, record.problem);
      else ops.add(record.op, n, found.start + 1);
    });
    ops.finish();
  },
};

/** The log prefixes before an op's fields; the last group is where the fields start. */
const PREFIXED = /^(?:\S[^\t]*?\s+)?INFO\s+(?:\[[^\]]*\]\s+)?jepsen\.util(?: -|:) /;
const BARE = /^(?:-?\d+|:[\w.-]+)\t:(?:invoke|ok|fail|info)\t/;

/** The tab-separated fields of an op line and the column (0-based) where they start, or undefined. */
function opFields(line: string): { fields: string[]; start: number } | undefined {
  const prefix = PREFIXED.exec(line);
  const start = prefix ? prefix[0].length : 0;
  if (!prefix && !BARE.test(line)) return undefined;
  const fields = line.slice(start).split("\t");
  if (fields.length < 3 || !/^:\w+$/.test(fields[1]!) || !/^:\S+$/.test(fields[2]!)) return undefined;
  return { fields, start };
}

/** Builds the op map from `P :type :f VALUE [ERROR]`; VALUE is EDN, ERROR is EDN or kept as text. */
function readRecord(fields: string[], start: number): { op: Record<string, EdnValue> } | { problem: string; column: number } {
  const columnOf = (field: number): number => start + fields.slice(0, field).reduce((n, f) => n + f.length + 1, 0) + 1;
  const [processText, typeText, fText, valueText = "nil", ...errorParts] = fields;
  const op: Record<string, EdnValue> = {};
  const parts: [string, string, number][] = [
    ["process", processText!, 0],
    ["type", typeText!, 1],
    ["f", fText!, 2],
    ["value", valueText, 3],
  ];
  for (const [key, text, field] of parts) {
    try {
      op[key] = readEdnValue(text);
    } catch (e) {
      if (!(e instanceof EdnSyntaxError)) throw e;
      return { problem: `${key}: ${e.message}`, column: columnOf(field) + e.offset };
    }
  }
  if (typeof op.process !== "number" && typeof op.process !== "string") return { problem: "the process must be an integer or a keyword such as :nemesis", column: columnOf(0) };
  const error = errorParts.join("\t").trim();
  if (error.length > 0) op.error = readError(error);
  return { op };
}

/** Jepsen printed errors with str, so they are EDN (`:timed-out`, `[:cas-failed 3]`) or plain text. */
function readError(text: string): EdnValue {
  try {
    return readEdnValue(text);
  } catch {
    return text;
  }
}
