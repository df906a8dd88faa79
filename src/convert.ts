import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import type { History } from "./history/history.ts";
import { OutputError } from "./history/errors.ts";
import type { Op } from "./history/op.ts";
import { loadHistory, type LoadOptions } from "./load.ts";
import { ednKeyword, ednMap, ednValue } from "./report/edn.ts";
import { assertFolderFor } from "./report/write.ts";

/** Formats `hindsight convert --to` can write; the first is the default. */
export const CONVERT_TARGETS = ["ndjson", "edn"] as const;
export type ConvertTarget = (typeof CONVERT_TARGETS)[number];

const FLUSH_CHARACTERS = 1 << 20;

/** One canonical NDJSON line: the fields people look for first, then the rest as written. */
export function ndjsonLine(op: Op): string {
  const { index, type, f, process, value, time, ...rest } = op;
  return JSON.stringify({ index, type, f, process, value, time, ...rest }) + "\n";
}

/** A transaction's micro-ops as Elle writes them: `[:append 1 2]`, names as keywords. */
function ednOpValue(value: unknown): string {
  const microOps = Array.isArray(value) && value.length > 0 && value.every((m) => Array.isArray(m) && typeof m[0] === "string");
  if (!microOps) return ednValue(value);
  return `[${(value as unknown[][]).map(([name, ...rest]) => `[${[ednKeyword(name as string), ...rest.map(ednValue)].join(" ")}]`).join(" ")}]`;
}

/** One Jepsen-style EDN op map per line (`{:index 0, :type :invoke, :f :write, :process 0, :value 1}`). */
export function ednLine(op: Op): string {
  const { index, type, f, process, value, time, ...rest } = op;
  const fields: [string, unknown][] = [
    ["index", index],
    ["type", ednKeyword(type)],
    ["f", ednKeyword(f)],
    ["process", typeof process === "string" ? ednKeyword(process) : ednValue(process)],
    ["value", ednOpValue(value)],
    ["time", time === undefined ? undefined : ednValue(time)],
  ];
  return ednMap([...fields, ...Object.entries(rest)], new Set(["type", "f", "process", "value", "time"])) + "\n";
}

const LINE: Record<ConvertTarget, (op: Op) => string> = { ndjson: ndjsonLine, edn: ednLine };

/**
 * Reads a history in any format and writes it as canonical NDJSON or Jepsen EDN (the records the
 * checkers see, made-up invocations included), in pieces of about a megabyte; returns the history.
 */
export async function convertToText(file: string, options: LoadOptions, target: ConvertTarget, write: (text: string) => void): Promise<History> {
  const line = LINE[target];
  let pending = "";
  const history = await loadHistory(file, {
    ...options,
    onRecord(op) {
      pending += line(op);
      if (pending.length >= FLUSH_CHARACTERS) {
        write(pending);
        pending = "";
      }
    },
  });
  if (pending.length > 0) write(pending);
  return history;
}

/**
 * convertToText into `out`: a function (stdout), or a file written under a temporary name and
 * renamed only when complete; any failure to write it is an OutputError naming `out`, and the
 * temporary never stays. A target that exists and is not a regular file (/dev/null, a FIFO) is
 * written in place: renaming over it would replace the device with a file.
 */
export async function convertHistory(file: string, options: LoadOptions, target: ConvertTarget, out: string | ((text: string) => void)): Promise<History> {
  if (typeof out === "function") return convertToText(file, options, target, out);
  assertFolderFor(out);
  const special = statSync(out, { throwIfNoEntry: false })?.isFile() === false;
  const temporary = special ? out : `${out}.${process.pid}.tmp`;
  const onOutput = <T>(step: () => T): T => {
    try {
      return step();
    } catch (error) {
      throw new OutputError(out, error);
    }
  };
  const fd = onOutput(() => openSync(temporary, "w"));
  try {
    const history = await convertToText(file, options, target, (text) => onOutput(() => writeSync(fd, text)));
    onOutput(() => closeSync(fd));
    if (!special) onOutput(() => renameSync(temporary, out));
    return history;
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    if (!special) rmSync(temporary, { force: true });
    throw error;
  }
}
