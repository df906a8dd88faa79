import { EdnIncomplete, EdnReader, EdnSyntaxError, readEdnValue, type EdnValue } from "./edn-reader.ts";
import { showValue } from "../history/show.ts";
import { JepsenOps } from "./jepsen-ops.ts";
import { findHeadLine, forEachLine } from "./lines.ts";
import type { Parser } from "./parser.ts";

/**
 * Jepsen's text logs of ops (jepsen.util/log-op): `P\t:type\t:f\tVALUE[\tERROR]`, either bare
 * (history.txt) or behind a log prefix, `INFO  jepsen.util - ` (2014–16) or
 * `2021-02-26 11:42:48,806{GMT}\tINFO\t[jepsen worker 1] jepsen.util: ` (later); the fields may
 * also be separated by runs of spaces (tabs an editor or pager expanded). VALUE is EDN. A line
 * that starts like an op (docs/formats.md) must read as one, or it is an error; other log lines
 * are skipped and counted.
 */
export const jepsenLogParser: Parser = {
  name: "jepsen-log",
  description: "Jepsen text logs: P<TAB>:type<TAB>:f<TAB>VALUE lines (or space-separated), bare or after INFO jepsen.util",
  sniff(head) {
    if (findHeadLine(head, (line) => { const shaped = opShape(line); return shaped !== undefined && "fields" in shaped; }) !== undefined) return true;
    return `no line of the form "INFO  jepsen.util - 0<TAB>:invoke<TAB>:read<TAB>nil" (or bare "0<TAB>:invoke<TAB>:read<TAB>nil") in the first ${head.length} characters`;
  },
  async parse(file, sink) {
    const ops = new JepsenOps(sink);
    await forEachLine(file, (line, n) => {
      const read = readLine(line);
      if (read === undefined) {
        if (line.trim().length > 0) sink.ignored(n, "not an op line");
      } else if ("problem" in read) sink.bad(n, read.column, read.problem);
      else ops.add(read.op, n, read.column);
    }, sink.bytes);
    ops.finish();
  },
};

/** The log prefixes before an op's fields. */
const PREFIXED = /^(?:\S[^\t]*?\s+)?INFO\s+(?:\[[^\]]*\]\s+)?jepsen\.util(?: -|:) /;
/** A process: an integer or a keyword such as :nemesis. */
const PROCESS = String.raw`(?:-?\d+|:[\w.-]+)`;
/** After a prefix, a line starts like an op when a process token comes first. */
const OP_AFTER_PREFIX = new RegExp(`^${PROCESS}(?:[\t ]|$)`);
/** Without one, when a process and a keyword come first. */
const BARE_OP = new RegExp(`^${PROCESS}[\t ]+:`);
/** Space-separated fields: P, :type and :f single tokens, then VALUE and ERROR. */
const SPACED = /^(\S+) +(\S+) +(\S+)(?: +(.*))?$/d;

interface Field {
  text: string;
  /** 1-based column of the field's first character. */
  column: number;
}

type LineRead = { op: Record<string, EdnValue>; column: number } | { problem: string; column: number };

/**
 * The line almost every log is made of, `[INFO  jepsen.util - ]P\t:type\t:f\tVALUE` with VALUE
 * nil, a small integer or a pair of them: matched once and built directly, without the EDN
 * reader (most of a batch of small logs is read before the JIT has warmed up). Anything else,
 * an error field included, takes the general path; both read such a line the same (tested).
 */
const PLAIN_OP = /^(INFO {2}jepsen\.util - )?(\d{1,15})\t:([a-z][\w-]*)\t:([a-z][\w-]*)\t(?:(nil)|(-?\d{1,15})|\[(-?\d{1,15}) (-?\d{1,15})\])$/;

function plainValue(m: RegExpExecArray): EdnValue {
  if (m[5] !== undefined) return null;
  if (m[6] !== undefined) return Number(m[6]);
  return [Number(m[7]), Number(m[8])];
}

/** An op line's op, or what is wrong with a line that starts like one; undefined for any other line. */
export function readLine(line: string): LineRead | undefined {
  const plain = PLAIN_OP.exec(line);
  if (plain !== null) return { op: { process: Number(plain[2]), type: plain[3]!, f: plain[4]!, value: plainValue(plain) }, column: plain[1] === undefined ? 1 : plain[1].length + 1 };
  return readLineInGeneral(line);
}

/** readLine for any line. */
export function readLineInGeneral(line: string): LineRead | undefined {
  const shaped = opShape(line);
  if (shaped === undefined || "problem" in shaped) return shaped;
  const record = readRecord(shaped.fields);
  return "problem" in record ? record : { op: record.op, column: shaped.column };
}

/** The fields of a line that starts like an op, or why they are not an op's; undefined for other lines. */
function opShape(line: string): { fields: Field[]; column: number } | { problem: string; column: number } | undefined {
  const prefix = PREFIXED.exec(line);
  const start = prefix ? prefix[0].length : 0;
  const rest = line.slice(start);
  if (!(prefix ? OP_AFTER_PREFIX : BARE_OP).test(rest)) return undefined;
  const fields = rest.includes("\t") ? tabbedFields(rest, start) : spacedFields(rest, start);
  if ("problem" in fields) return fields;
  return fieldShape(fields) ?? { fields, column: start + 1 };
}

function tabbedFields(rest: string, start: number): Field[] {
  const fields: Field[] = [];
  let column = start + 1;
  for (const text of rest.split("\t")) {
    fields.push({ text, column });
    column += text.length + 1;
  }
  // The ERROR field may itself hold tabs.
  if (fields.length > 5) fields.splice(4, fields.length - 4, { text: rest.split("\t").slice(4).join("\t"), column: fields[4]!.column });
  return fields;
}

/** P :type :f are single tokens; VALUE is the one EDN form after them, ERROR what follows it. */
function spacedFields(rest: string, start: number): Field[] | { problem: string; column: number } {
  const m = SPACED.exec(rest);
  if (!m) return { problem: "expected P, :type and :f separated by tabs or spaces, then the value", column: start + rest.length + 1 };
  const at = (group: number): number => start + m.indices![group]![0] + 1;
  const fields: Field[] = [1, 2, 3].map((g) => ({ text: m[g]!, column: at(g) }));
  const tail = m[4];
  if (tail === undefined || tail.trim().length === 0) return fields;
  const reader = new EdnReader(tail);
  try {
    reader.skipSpace();
    reader.read();
  } catch (e) {
    if (!(e instanceof EdnSyntaxError) && !(e instanceof EdnIncomplete)) throw e;
    const offset = e instanceof EdnSyntaxError ? e.offset : e.openedAt;
    return { problem: `value: ${e.message}`, column: at(4) + offset };
  }
  fields.push({ text: tail.slice(0, reader.pos), column: at(4) });
  const error = tail.slice(reader.pos);
  if (error.trim().length > 0) fields.push({ text: error.trim(), column: at(4) + reader.pos + error.search(/\S/) });
  return fields;
}

/** Three fields at least, the type and f keywords. */
function fieldShape(fields: Field[]): { problem: string; column: number } | undefined {
  const last = fields[fields.length - 1]!;
  if (fields.length < 3) return { problem: `expected P, :type and :f, then the value; the line ended after ${fields.length} field${fields.length === 1 ? "" : "s"}`, column: last.column + last.text.length };
  if (!/^:[\w-]+$/.test(fields[1]!.text)) return { problem: `expected :type (:invoke, :ok, :fail or :info), found ${showValue(fields[1]!.text)}`, column: fields[1]!.column };
  if (!/^:\S+$/.test(fields[2]!.text)) return { problem: `expected :f, a keyword such as :read, found ${showValue(fields[2]!.text)}`, column: fields[2]!.column };
  return undefined;
}

/** Builds the op map from `P :type :f VALUE [ERROR]`; VALUE is EDN, ERROR is EDN or kept as text. */
function readRecord(fields: Field[]): { op: Record<string, EdnValue> } | { problem: string; column: number } {
  const [processField, typeField, fField, valueField = { text: "nil", column: 0 }, errorField] = fields;
  const op: Record<string, EdnValue> = {};
  const parts: [string, Field][] = [
    ["process", processField!],
    ["type", typeField!],
    ["f", fField!],
    ["value", valueField],
  ];
  for (const [key, field] of parts) {
    try {
      op[key] = readEdnValue(field.text);
    } catch (e) {
      if (!(e instanceof EdnSyntaxError)) throw e;
      return { problem: `${key}: ${e.message}`, column: field.column + e.offset };
    }
  }
  if (typeof op.process !== "number" && typeof op.process !== "string") return { problem: "the process must be an integer or a keyword such as :nemesis", column: processField!.column };
  const error = errorField?.text.trim() ?? "";
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
