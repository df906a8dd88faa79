import { closeSync, constants, ftruncateSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync, type Stats } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Validity } from "../checkers/checker.ts";
import type { FileVerdict } from "../checkers/verdict.ts";
import { OutputError } from "../history/errors.ts";
import type { History } from "../history/history.ts";
import { ednKeyword, ednMap, ednValue } from "./edn.ts";
import type { ReportDocument } from "./document.ts";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";

import type { ReportFormat } from "./report-formats.ts";

export { REPORT_FORMATS, type ReportFormat } from "./report-formats.ts";

/** A report folder could not be written; the verdict travels with the error so it is still printed. */
export class ReportWriteError extends OutputError {
  readonly verdict: FileVerdict;
  /** Files that did reach the folder (verdict.json alone when the full set did not fit). */
  readonly written: string[];
  constructor(path: string, cause: unknown, verdict: FileVerdict, written: string[]) {
    super(path, cause);
    this.verdict = verdict;
    this.written = written;
  }
}

/** Temporary siblings of a report folder while it is replaced; removed on every path (and after Ctrl-C by the CLI). */
export function stagingFolders(dir: string): string[] {
  return [`${dir}.${process.pid}.tmp`, `${dir}.${process.pid}.old`];
}

/**
 * Writes verdict.json (+ results.edn), report.md (with charts/*.svg) and report.html as one new
 * folder that replaces `dir` whole: a re-run never leaves an earlier run's report beside a new
 * verdict, and an interrupted run never leaves a half-written one. When the full set does not fit
 * (a full disk), the verdict alone is tried before giving up, so it is kept where possible.
 */
export function writeReports(dir: string, verdict: FileVerdict, report: () => ReportDocument, formats: readonly ReportFormat[]): string[] {
  // The document (its timeline drawn) only for the formats that show it.
  const doc = formats.includes("md") || formats.includes("html") ? report() : undefined;
  const render = (): [string, string][] => {
    const files: [string, string][] = [];
    if (formats.includes("json")) files.push(...verdictFiles(verdict));
    if (doc && formats.includes("md")) {
      for (const block of doc.sections.flatMap((s) => s.blocks)) if (block.kind === "chart") files.push([join("charts", `${block.chart.id}.svg`), block.chart.svg]);
      files.push(["report.md", renderMarkdown(doc)]);
    }
    if (doc && formats.includes("html")) {
      files.push(["report.html", renderHtml(doc)]);
    }
    return files;
  };
  return writeReportFiles(dir, verdict, render, formats.includes("json"));
}

/**
 * The writing half of writeReports, for files rendered elsewhere (a worker that analyzed an
 * uploaded history, docs/scale-out.md): `dir` replaced whole, the verdict alone kept when the
 * full set does not fit and `keepVerdict` says it belongs there.
 */
export function writeReportFiles(dir: string, verdict: FileVerdict, files: () => [string, string][], keepVerdict: boolean): string[] {
  try {
    return replaceFolder(dir, files());
  } catch (error) {
    const failure = error instanceof OutputError ? error : new OutputError(dir, error);
    let written: string[] = [];
    if (keepVerdict) {
      try {
        written = replaceFolder(dir, verdictFiles(verdict));
      } catch {
        // The full set's failure is the one reported.
      }
    }
    throw new ReportWriteError(failure.path, failure.reason, verdict, written);
  }
}

/**
 * writeReports for a verdict whose analysis never got to write them (a worker stopped past
 * --memory-limit): the same files, the report built from the verdict alone.
 */
export async function writeVerdictReports(dir: string, verdict: FileVerdict, formats: readonly ReportFormat[]): Promise<string[]> {
  const { buildReport } = await import("./build.ts");
  const nothingHeld: History = { file: verdict.file, format: verdict.format, recordCount: verdict.ops, operations: [], skipped: [], skippedCount: verdict.skipped, warnings: [], annotations: verdict.annotations };
  return writeReports(dir, verdict, () => buildReport(verdict, nothingHeld), formats);
}

/** verdict.json and, for Jepsen tooling, results.edn. */
export function verdictFiles(verdict: FileVerdict): [string, string][] {
  return [
    ["verdict.json", JSON.stringify(verdict, null, 2) + "\n"],
    ["results.edn", resultsEdn(verdict)],
  ];
}

/** Jepsen's `results.edn` shape: `{:valid? …}` overall and one `{:valid? …}` map per checker. */
export function resultsEdn(verdict: FileVerdict): string {
  const validity = (v: Validity): string => (v === "unknown" ? ":unknown" : String(v));
  const checkers = verdict.checkers.map((c) => `${ednKeyword(c.checker)} ${ednMap([["valid?", validity(c.valid)], ["summary", c.summary], ["stats", c.stats]], new Set(["valid?"]))}`);
  return `{:valid? ${validity(verdict.valid)}\n :summary ${ednValue(verdict.summary)}\n :file ${ednValue(verdict.file)}${checkers.map((c) => `\n ${c}`).join("")}}\n`;
}

/**
 * Replaced report folders kept to be written over by the next report in the same parent folder,
 * while a run asks for it (reuseReplacedFolders): deleting a folder's files and making new ones
 * costs more than writing over them (on ext4 mounted with `discard`, ~0.8 ms a report folder
 * against ~0.2 ms).
 */
let spares: Map<string, string> | undefined;

/**
 * From now on until the returned function is called (which removes what is left), a replaced
 * report folder becomes the next one's staging folder. For the thread that writes a whole run's
 * reports (the CLI's); elsewhere each replaced folder is removed at once.
 */
export function reuseReplacedFolders(): () => void {
  const kept = (spares = new Map());
  return () => {
    if (spares === kept) spares = undefined;
    for (const folder of kept.values()) removeFolder(folder);
  };
}

/**
 * Writes `files` (relative paths) into a staging folder, then swaps it in for `dir`. Blocking
 * calls: a report is a handful of small files, and a round trip to the I/O threads per call cost
 * more than the writes themselves.
 */
function replaceFolder(dir: string, files: [string, string][]): string[] {
  const [staging, old] = stagingFolders(dir) as [string, string];
  const parent = dirname(dir);
  let swapped = false;
  try {
    makeFolder(parent);
    const spare = spares?.get(parent);
    spares?.delete(parent);
    guarded(staging, () => (spare === undefined ? makeEmptyFolder(staging) : renameSync(spare, staging)));
    const folders = new Set([staging]);
    for (const [name, content] of files) {
      const path = join(staging, name);
      guarded(join(dir, name), () => {
        if (!folders.has(dirname(path))) mkdirSync(dirname(path), { recursive: true });
        folders.add(dirname(path));
        if (spare === undefined) writeFileSync(path, content);
        else writeOver(path, content);
      });
    }
    if (spare !== undefined) guarded(staging, () => removeAllBut(staging, new Set(files.map(([name]) => join(staging, name))), folders));
    const existing = statOrUndefined(dir);
    if (existing) guarded(dir, () => renameSync(dir, old));
    guarded(dir, () => renameSync(staging, dir));
    swapped = true;
    if (existing && spares && !spares.has(parent)) spares.set(parent, old);
    else if (existing) removeFolder(old);
    return files.map(([name]) => join(dir, name));
  } finally {
    try {
      if (!swapped) rmSync(staging, { recursive: true, force: true });
    } catch {
      // Already reported: the write that failed named the folder.
    }
  }
}

/** Writes `content` as the whole of the file at `path`, over what is there; a link there is replaced, never followed. */
function writeOver(path: string, content: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP" || code === "EISDIR") rmSync(path, { recursive: true, force: true });
    else if (code !== "ENOENT") throw error;
    return writeFileSync(path, content);
  }
  try {
    const bytes = Buffer.from(content);
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at, at);
    ftruncateSync(fd, bytes.length);
  } finally {
    closeSync(fd);
  }
}

/** Removes what is under `dir` but the files `keep` and the folders `folders`. */
function removeAllBut(dir: string, keep: ReadonlySet<string>, folders: ReadonlySet<string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (!entry.isDirectory()) {
      if (!keep.has(path)) unlinkSync(path);
    } else if (folders.has(path)) removeAllBut(path, keep, folders);
    else removeFolder(path);
  }
}

/** A new empty folder at `path`, replacing what an interrupted run left there. */
function makeEmptyFolder(path: string): void {
  try {
    mkdirSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    rmSync(path, { recursive: true, force: true });
    mkdirSync(path);
  }
}

/**
 * rm -r of a folder this process just renamed aside: one listing per folder and one unlink per
 * file, a third of the CPU of fs.rm's walk, which stats every entry first. (Removing the folders
 * on the I/O threads instead, to overlap their journal writes, measured 1.09× wall against this.) Anything
 * unexpected (a file that appeared meanwhile) is left to fs.rmSync.
 */
function removeFolder(dir: string): void {
  try {
    const folders = emptied(dir);
    while (folders.length > 0) rmdirSync(folders.pop()!);
  } catch {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Unlinks every file under `dir`; returns its folders, `dir` first, each before those inside it. */
function emptied(dir: string, folders: string[] = []): string[] {
  folders.push(dir);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) emptied(path, folders);
    else unlinkSync(path);
  }
  return folders;
}

function guarded<T>(path: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw new OutputError(path, error);
  }
}

/** The folder entry at `path`, undefined when there is none; any other failure is an OutputError. */
function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new OutputError(path, error);
  }
}

/**
 * mkdir -p with a bound: walks up to the nearest existing folder and creates each level once.
 * (Node's recursive mkdir loops for ever under /proc, where mkdir fails with ENOENT.)
 */
export function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    const info = statOrUndefined(at);
    if (info?.isDirectory()) break;
    if (info) throw new OutputError(at, Object.assign(new Error("not a folder"), { code: "ENOTDIR" }));
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const at of missing.reverse()) {
    guarded(at, () => {
      try {
        mkdirSync(at);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    });
  }
}

/** For commands that must fail before they start: the folder `path` would go in exists. */
export function assertFolderFor(path: string): void {
  const parent = dirname(resolve(path));
  let info;
  try {
    info = statSync(parent);
  } catch (error) {
    throw new OutputError(path, error);
  }
  if (!info.isDirectory()) throw new OutputError(path, Object.assign(new Error("not a folder"), { code: "ENOTDIR" }));
}

/** Writes to a temporary name and renames, so a reader never sees a half-written file; the temporary never stays. */
export function writeAtomically(path: string, content: string): string {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new OutputError(path, error);
  }
  return path;
}
