import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, isAbsolute, join } from "node:path";
import { promisify } from "node:util";
import { deflate, inflate } from "node:zlib";
import { UsageError } from "../history/errors.ts";
import type { AnalyzeTaskResult } from "./analyze-task.ts";
import type { FileTask, Outcome } from "./runner.ts";

/**
 * Histories sent with their task (analyze --send-inputs) are at most this large: Redis holds each
 * queued job in memory, and a larger one is better read from a shared path (docs/scale-out.md).
 */
export const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;

/** Before anything is queued: a history too large to send is a usage error naming it. */
export async function refuseLargeUploads(files: string[]): Promise<void> {
  for (const file of files) {
    const size = await stat(file).then((s) => s.size, () => 0); // an unreadable file is reported by its analysis
    if (size > MAX_UPLOAD_BYTES) {
      throw new UsageError(`--send-inputs: ${file} is ${Math.ceil(size / 1024 / 1024)} MB, more than the ${MAX_UPLOAD_BYTES / 1024 / 1024} MB a task carries; put it on a path the workers share and leave out --send-inputs`);
    }
  }
}

/** The task with its history's bytes in it, or, when they cannot be read or sent, the file's result: unreadable, as in a local run. */
export async function withUpload(task: FileTask): Promise<FileTask | AnalyzeTaskResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(task.file);
  } catch (error) {
    return { ok: false, userError: true, message: `${task.file}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (bytes.byteLength > MAX_UPLOAD_BYTES) return { ok: false, userError: true, message: `${task.file}: grew past the ${MAX_UPLOAD_BYTES / 1024 / 1024} MB of --send-inputs while the batch ran` };
  return { ...task, upload: (await promisify(deflate)(bytes)).toString("base64") };
}

/**
 * On the worker: an uploaded history is written to a temp folder under its own base name (format
 * sniffing may look at it) and analyzed there under its original name, its reports written beside
 * it and returned as files for the submitter to write under its --out. The folder is removed on
 * every path. A task without an upload runs as it is.
 */
export async function runUploaded(task: FileTask, run: (task: FileTask) => Promise<Outcome<unknown>>): Promise<Outcome<unknown>> {
  if (task.upload === undefined) return run(task);
  const spool = await mkdtemp(join(tmpdir(), "hindsight-upload-"));
  try {
    const file = join(spool, basename(task.file));
    await writeFile(file, await promisify(inflate)(Buffer.from(task.upload, "base64")));
    const output = { dir: join(spool, "reports"), formats: task.output.formats };
    const { upload: _sent, ...local } = task;
    const outcome = await run({ ...local, file, options: { ...task.options, name: task.options.name ?? task.file }, output });
    if (!outcome.ok || output.formats.length === 0 || !isVerdictResult(outcome.value)) return outcome;
    return { ok: true, value: { ...outcome.value, reports: await readReportFiles(output.dir) } satisfies AnalyzeTaskResult };
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
}

function isVerdictResult(value: unknown): value is Extract<AnalyzeTaskResult, { ok: true }> {
  return typeof value === "object" && value !== null && "ok" in value && value.ok === true && "verdict" in value;
}

/** Every file under `dir` (relative path, UTF-8 content, sorted); none when it was not written. */
async function readReportFiles(dir: string): Promise<[string, string][]> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = names.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
  return Promise.all(files.sort().map(async (name): Promise<[string, string]> => [name, await readFile(join(dir, name), "utf8")]));
}

/** Report files from a worker: relative paths that stay inside the report folder, text content. */
export function isReportFiles(value: unknown): value is [string, string][] {
  return Array.isArray(value) && value.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[1] === "string" && isInsidePath(entry[0]));
}

function isInsidePath(name: unknown): boolean {
  return typeof name === "string" && name !== "" && !isAbsolute(name) && !name.split(/[\\/]/).some((part) => part === ".." || part === "");
}
