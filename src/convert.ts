import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import type { History } from "./history/history.ts";
import type { Op } from "./history/op.ts";
import { loadHistory, type LoadOptions } from "./load.ts";

/** Formats `hindsight convert --to` can write. */
export const CONVERT_TARGETS = ["ndjson"] as const;

const FLUSH_CHARACTERS = 1 << 20;

/** One canonical NDJSON line: the fields people look for first, then the rest as written. */
export function ndjsonLine(op: Op): string {
  const { index, type, f, process, value, time, ...rest } = op;
  return JSON.stringify({ index, type, f, process, value, time, ...rest }) + "\n";
}

/**
 * Reads a history in any format and writes it as canonical NDJSON (the records the checkers
 * see, made-up invocations included), in pieces of about a megabyte; returns the history.
 */
export async function convertToNdjson(file: string, options: LoadOptions, write: (text: string) => void): Promise<History> {
  let pending = "";
  const history = await loadHistory(file, {
    ...options,
    onRecord(op) {
      pending += ndjsonLine(op);
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
 * convertToNdjson into a file, written under a temporary name and renamed only when complete.
 * A target that exists and is not a regular file (/dev/null, a FIFO) is written in place:
 * renaming over it would replace the device with a file.
 */
export async function convertToNdjsonFile(file: string, options: LoadOptions, out: string): Promise<History> {
  const special = statSync(out, { throwIfNoEntry: false })?.isFile() === false;
  const temporary = special ? out : `${out}.${process.pid}.tmp`;
  const fd = openSync(temporary, "w");
  let history: History;
  try {
    history = await convertToNdjson(file, options, (text) => void writeSync(fd, text));
  } catch (error) {
    closeSync(fd);
    if (!special) rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  if (!special) renameSync(temporary, out);
  return history;
}
