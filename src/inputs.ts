import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { JEPSEN_TEST, type JepsenTest } from "./history/annotations.ts";
import { UsageError } from "./history/errors.ts";
import type { LoadOptions } from "./load.ts";
import { EdnSyntaxError, readEdnValue, type EdnValue } from "./parsers/edn-reader.ts";

/** One history to analyze, as the command line's files and folders expand to them. */
export interface HistoryInput {
  /** The file to read. */
  path: string;
  /** What names the report folder (sanitised by the CLI). */
  stem: string;
  /** How the history is named in messages and verdicts, and facts found beside it. */
  load: Pick<LoadOptions, "name" | "annotations">;
}

/** Names that stand for standard input. */
export const STDIN = "-";
const STDIN_NAME = "<stdin>";

const HISTORY_EXTENSIONS = new Set([".ndjson", ".jsonl", ".json", ".edn", ".log", ".txt"]);
/** Files of a Jepsen store that are never histories. */
const NOT_HISTORIES = new Set(["results.edn", "test.edn"]);
/** A Jepsen run folder (store/<test>/<time>/) holds one of these, and one of JEPSEN_RUN_FILES beside it. */
const RUN_HISTORIES = ["history.edn", "history.txt"];
const JEPSEN_RUN_FILES = ["test.edn", "results.edn", "jepsen.log", "test.fressian"];
/** test.edn beyond this is not read (its facts are a convenience). */
const MAX_TEST_EDN_BYTES = 16 << 20;

/**
 * Files as given (`-` is standard input, copied aside so it can be read twice); folders expand
 * to the histories inside them, sorted, recursively. A Jepsen run folder is one history
 * (history.edn, else history.txt) named after its test and time, with test.edn's facts; its
 * other files are never read as histories. Symbolic links are followed, but no folder is
 * entered twice (Jepsen's `latest` links), and real folders come before linked ones.
 */
export async function expandInputs(inputs: string[], stdin: NodeJS.ReadableStream = process.stdin): Promise<HistoryInput[]> {
  const found: HistoryInput[] = [];
  if (inputs.filter((i) => i === STDIN).length > 1) throw new UsageError(`standard input (${STDIN}) can be read only once`);
  for (const input of inputs) {
    if (input === STDIN) {
      found.push({ path: await spoolStdin(stdin), stem: "stdin", load: { name: STDIN_NAME } });
      continue;
    }
    let info;
    try {
      info = statSync(input); // blocking: one call per input, cheaper than a round trip to the I/O threads
    } catch {
      throw new UsageError(`${input}: no such file or folder`);
    }
    if (!info.isDirectory()) {
      found.push({ path: input, stem: reportStem(input), load: {} });
      continue;
    }
    const inside = await expandFolder(input, new Set());
    if (inside.length === 0) throw new UsageError(`${input}: folder holds no history files (${[...HISTORY_EXTENSIONS].join(", ")}) and no Jepsen run (${RUN_HISTORIES.join(", ")})`);
    found.push(...inside);
  }
  return found;
}

/** The report folder's name for a plain history file: its name without the extension. */
export function reportStem(path: string): string {
  return basename(path, extname(path));
}

async function expandFolder(folder: string, visited: Set<string>): Promise<HistoryInput[]> {
  const real = await realpath(folder);
  if (visited.has(real)) return [];
  visited.add(real);
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = new Set(entries.map((e) => e.name));
  const history = RUN_HISTORIES.find((h) => names.has(h));
  if (history !== undefined && JEPSEN_RUN_FILES.some((f) => names.has(f))) return [await jepsenRun(folder, real, history, names)];

  const found: HistoryInput[] = [];
  const linked: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isSymbolicLink()) {
      linked.push(path);
    } else if (entry.isDirectory()) {
      found.push(...(await expandFolder(path, visited)));
    } else if (entry.isFile() && isHistoryName(entry.name)) {
      found.push({ path, stem: reportStem(path), load: {} });
    }
  }
  const files = new Set(await Promise.all(found.map((f) => realpath(f.path))));
  for (const path of linked) {
    const target = await stat(path).catch(() => undefined);
    if (target?.isDirectory()) found.push(...(await expandFolder(path, visited)));
    else if (target?.isFile() && isHistoryName(basename(path))) {
      const real = await realpath(path);
      if (!files.has(real)) {
        files.add(real);
        found.push({ path, stem: reportStem(path), load: {} });
      }
    }
  }
  return found;
}

function isHistoryName(name: string): boolean {
  return HISTORY_EXTENSIONS.has(extname(name)) && !name.endsWith(".truth.json") && !NOT_HISTORIES.has(name);
}

/** store/<test>/<time>/: named `<test>-<time>` (from the real folder, whichever link led here). */
async function jepsenRun(folder: string, real: string, history: string, names: Set<string>): Promise<HistoryInput> {
  const test = names.has("test.edn") ? await readJepsenTest(join(folder, "test.edn")) : undefined;
  const time = basename(real);
  const name = test?.name ?? basename(dirname(real));
  const annotations = test === undefined ? undefined : { [JEPSEN_TEST]: test };
  return { path: join(folder, history), stem: `${name}-${time}`, load: { annotations } };
}

/** The facts of test.edn that help reading the run; undefined if it cannot be read. */
async function readJepsenTest(file: string): Promise<JepsenTest | undefined> {
  const size = (await stat(file)).size;
  if (size > MAX_TEST_EDN_BYTES) return undefined;
  let test: EdnValue;
  try {
    test = readEdnValue(await readFile(file, "utf8"));
  } catch (e) {
    if (e instanceof EdnSyntaxError) return undefined;
    throw e;
  }
  if (typeof test !== "object" || test === null || Array.isArray(test)) return undefined;
  const facts: JepsenTest = { file };
  if (typeof test.name === "string") facts.name = test.name;
  if (Array.isArray(test.nodes) && test.nodes.every((n) => typeof n === "string")) facts.nodes = test.nodes as string[];
  if (typeof test.concurrency === "number") facts.concurrency = test.concurrency;
  if (typeof test.workload === "string") facts.workload = test.workload;
  return facts;
}

/** Copies standard input to a temporary file (removed when the process exits): every read needs two passes. */
async function spoolStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "hindsight-stdin-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "stdin");
  await pipeline(stdin, createWriteStream(path));
  return path;
}
