import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { AnalyzeOptions } from "./analyze.ts";
import { CONVERT_TARGETS, convertToNdjson, convertToNdjsonFile } from "./convert.ts";
import type { FlagText } from "./checkers/checker.ts";
import { CHECKERS, checkerNamed, validateCheckerFlags } from "./checkers/registry.ts";
import type { FileVerdict } from "./checkers/verdict.ts";
import { InputError, UsageError } from "./history/errors.ts";
import { PARSERS, parserNamed } from "./parsers/registry.ts";
import { validityWord } from "./report/document.ts";
import { writeIndex, type IndexEntry } from "./report/index-page.ts";
import { REPORT_FORMATS, type ReportFormat } from "./report/write.ts";
import { SILENT, terminalProgress, type Progress } from "./progress.ts";
import { catalogHelp } from "./simulate/catalog.ts";
import { simulateToFile } from "./simulate/run.ts";
import { DEFAULT_OPTIONS as SIMULATE_DEFAULTS, type SimulationOptions } from "./simulate/simulator.ts";
import type { AnalyzeTask, AnalyzeTaskResult } from "./workers/analyze-task.ts";
import { analyzeAll } from "./workers/batch.ts";
import { createRunner, type Runner } from "./workers/runner.ts";
import { expandInputs } from "./inputs.ts";
import { cutText } from "./history/show.ts";
import type { Collector, CommonFlags } from "./collect/collectors.ts";
import { outputProblem } from "./collect/preflight.ts";
import { COLLECTORS } from "./collect/registry.ts";

/** The exit codes, documented in README and --help. */
export const EXIT = { valid: 0, invalid: 1, unknown: 2, error: 3, interrupted: 130 } as const;

const EXIT_HELP = `
Exit codes:
  0  every history is valid
  1  some history is invalid
  2  some history is unknown (a search was cut short, input skipped) and none is invalid
  3  usage error, or a file could not be read
  130 interrupted (Ctrl-C)`;

const VERSION = "0.1.0";

interface AnalyzeFlags {
  format: string;
  checker: string[];
  out: string;
  report: ReportFormat[];
  timeLimit?: number;
  memoryLimit?: number;
  workers: number;
  lenient?: boolean;
  json?: boolean;
  quiet?: boolean;
  redis?: string;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number");
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError("expected an integer");
  return n;
}

function reportFormats(value: string): ReportFormat[] {
  if (value === "none") return [];
  const formats = value.split(",").map((s) => s.trim());
  for (const f of formats) if (!REPORT_FORMATS.includes(f as ReportFormat)) throw new InvalidArgumentError(`expected a comma-separated list of ${REPORT_FORMATS.join(", ")}, or none`);
  return formats as ReportFormat[];
}

function collect(value: string, previous: string[]): string[] {
  return [...(previous.length === 1 && previous[0] === "auto" ? [] : previous), ...value.split(",")];
}

/** The checkers' own flags, once each (checkers may share one, e.g. --initial), as string options. */
function checkerOptions(): Option[] {
  const seen = new Map(CHECKERS.flatMap((c) => c.flags).map((f) => [f.flags, f]));
  return [...seen.values()].map((f) => new Option(f.flags, f.description));
}

/** What the user gave for the checkers' flags, by attribute name. */
function checkerFlagText(values: Record<string, unknown>): FlagText {
  return Object.fromEntries(checkerOptions().flatMap((o) => {
    const value = values[o.attributeName()];
    // A switch (a flag without a value, e.g. --wfr-keys) arrives as true, its --no- form as false: its text is "true" or "false".
    return typeof value === "string" || typeof value === "boolean" ? [[o.attributeName(), String(value)]] : [];
  }));
}

export function buildProgram(io: Io): Command {
  const program = new Command("hindsight")
    .description("Analyze distributed-systems operation histories: what the database did wrong, with evidence.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .addHelpText("after", EXIT_HELP);

  const analyze = program
    .command("analyze")
    .description("check histories and write verdicts and reports")
    .argument("<files...>", "history files or folders of them")
    .addOption(new Option("--format <name>", `input format: auto or ${PARSERS.map((p) => p.name).join(", ")}`).default("auto"))
    .addOption(new Option("--checker <names>", `checkers to run (comma-separated or repeated): auto or ${CHECKERS.map((c) => c.name).join(", ")}`).default(["auto"]).argParser(collect));
  for (const option of checkerOptions()) analyze.addOption(option);
  analyze
    .option("--out <dir>", "report folder; each history gets <dir>/<file-stem>/", "hindsight-report")
    .addOption(new Option("--report <formats>", "reports to write: json,md,html or none").default(["json", "md", "html"], "json,md,html").argParser(reportFormats))
    .option("--time-limit <seconds>", "budget per checker; when hit, the checker says unknown", positiveNumber)
    .option("--memory-limit <MB>", "heap ceiling per analysis; past it the history is unknown, the process carries on", positiveInteger)
    .option("--workers <n>", "threads for histories and their checkers' independent parts (not used with --redis)", positiveInteger, availableParallelism())
    .option("--redis <url>", "run the tasks on `hindsight worker`s through this Redis instead of local threads (docs/scale-out.md)")
    .option("--lenient", "skip and count unreadable records instead of stopping (never valid then)")
    .option("--json", "print one verdict object per history per line (NDJSON) instead of text")
    .option("--quiet", "print nothing but the per-file lines")
    .addHelpText("after", EXIT_HELP)
    .action(async (files: string[], flags: AnalyzeFlags & Record<string, unknown>) => {
      io.setExitCode(await analyzeCommand(files, flags, checkerFlagText(flags), io));
    });

  program
    .command("worker")
    .description("take analysis tasks from a Redis queue until stopped (Ctrl-C); see docs/scale-out.md")
    .requiredOption("--redis <url>", "the Redis the submitters use, e.g. redis://host:6379")
    .option("--concurrency <n>", "tasks at once, each on a thread", positiveInteger, availableParallelism())
    .option("--memory-limit <MB>", "heap ceiling per task; past it the task fails", positiveInteger)
    .option("--stall-timeout <seconds>", "a task whose worker is silent this long goes to another worker", positiveNumber, 30)
    .action(async (flags: WorkerFlags) => {
      io.setExitCode(await workerCommand(flags, io));
    });

  const collectCommand = program.command("collect").description("run a real database on this machine under faults and record its history");
  for (const collector of COLLECTORS) addCollectCommand(collectCommand, collector, io);

  program
    .command("simulate")
    .description("simulate a five-node cluster misbehaving and write a labelled history (NDJSON) and its truth file")
    .option("--behaviour <name>", "how the store replicates", SIMULATE_DEFAULTS.behaviour)
    .option("--workload <name>", "what clients do", SIMULATE_DEFAULTS.workload)
    .option("--nemesis <name>", "which faults", SIMULATE_DEFAULTS.nemesis)
    .option("--nodes <n>", "nodes n1…nN", positiveInteger, SIMULATE_DEFAULTS.nodes)
    .option("--clients <n>", "clients, pinned to nodes round-robin", positiveInteger, SIMULATE_DEFAULTS.clients)
    .option("--seed <n>", "random seed: the same seed and options give the same bytes", integer, SIMULATE_DEFAULTS.seed)
    .option("--ops <n>", "history records to write (invocations + completions)", positiveInteger, SIMULATE_DEFAULTS.ops)
    .option("--faults <n>", "fault windows spread over the run", positiveInteger, SIMULATE_DEFAULTS.faults)
    .option("--ts-resolution <us>", "LWW timestamp resolution in µs (longer than the run: all timestamps equal)", positiveInteger, SIMULATE_DEFAULTS.tsResolution)
    .option("-o, --output <file>", "history file (stdout when absent); the truth goes to <file minus .ndjson>.truth.json")
    .option("--truth <file>", "where to write the truth file (required to get one when writing to stdout)")
    .addHelpText("after", catalogHelp())
    .action(async (flags: SimulationOptions & { output?: string; truth?: string }) => {
      const { output, truth, ...options } = flags;
      const found = await simulateToFile(options, output, truth);
      if (output !== undefined) io.err(`${output}: ${found.records} records; ${found.violations.length ? found.violations.join("; ") : "no violations inside the cluster"}\n`);
      io.setExitCode(0);
    });

  program
    .command("convert")
    .description("rewrite a history in another format (canonical NDJSON)")
    .argument("<file>", "the history to convert")
    .addOption(new Option("--format <name>", `input format: auto or ${PARSERS.map((p) => p.name).join(", ")}`).default("auto"))
    .addOption(new Option("--to <format>", "output format").choices(CONVERT_TARGETS).makeOptionMandatory())
    .option("-o, --out <file>", "output file (default: standard output)")
    .option("--lenient", "skip and count unreadable records instead of stopping")
    .addHelpText("after", EXIT_HELP)
    .action(async (file: string, flags: ConvertFlags) => {
      io.setExitCode(await convertCommand(file, flags, io));
    });
  return program;
}

function addCollectCommand(parent: Command, collector: Collector, io: Io): void {
  const { defaults } = collector;
  const command = parent
    .command(collector.name)
    .description(collector.description)
    .option("--nodes <n>", collector.fixedNodes === undefined ? "members" : `members (${collector.name} runs ${collector.fixedNodes})`, positiveInteger, defaults.nodes)
    .option("--clients <n>", "concurrent clients", positiveInteger, defaults.clients)
    .addOption(new Option("--workload <name>", "what the clients do").choices(collector.workloads).default(defaults.workload))
    .addOption(new Option("--nemesis <name>", "the fault injected on a schedule").choices(collector.nemeses).default(defaults.nemesis))
    .option("--time <seconds>", "how long the clients run", positiveNumber, defaults.time)
    .option("--rate <ops/s>", "operations per second, all clients together", positiveNumber, defaults.rate)
    .option("--seed <n>", "seed for the ops and the nemesis's choices (default: random)", positiveInteger)
    .option("--first-address <ip>", "first member's address; the others follow it", defaults.firstAddress)
    .option("-o, --output <file>", `history file (default: ${collector.name}-WORKLOAD-NEMESIS-SEED.ndjson)`);
  for (const extra of collector.extraFlags) {
    const option = new Option(extra.flags, extra.description);
    if (extra.choices) option.choices(extra.choices);
    if (extra.default !== undefined) option.default(extra.default);
    command.addOption(option);
  }
  command
    .addHelpText("after", "\nExit codes: 0 the history was written; 3 a requirement is missing or the run failed;\n130 interrupted (members stopped and iptables rules removed first).")
    .action(async (flags: CollectFlags) => {
      io.setExitCode(await collectCommand(collector, flags, io));
    });
}

/** Commander's flags: the common ones, and a system's extra flags by their camel-cased names. */
type CollectFlags = Omit<CommonFlags, "seed" | "output"> & { seed?: number; output?: string } & Record<string, string | boolean | undefined>;

async function collectCommand(collector: Collector, flags: CollectFlags, io: Io): Promise<number> {
  const name = `hindsight collect ${collector.name}`;
  if (collector.fixedNodes !== undefined && flags.nodes !== collector.fixedNodes) {
    io.err(`${name}: --nodes ${flags.nodes}: ${collector.name} runs ${collector.fixedNodes}\n`);
    return EXIT.error;
  }
  const seed = flags.seed ?? 1 + Math.floor(Math.random() * 2 ** 31);
  const output = flags.output ?? `${collector.name}-${flags.workload}-${flags.nemesis}-${seed}.ndjson`;
  const problem = outputProblem(output);
  if (problem !== undefined) {
    io.err(`${name}: ${problem}\n`);
    return EXIT.error;
  }
  const missing = collector.missing();
  if (missing.length > 0) {
    io.err(`${name} needs:\n${missing.map((m) => `  ${m.what}: ${m.how}`).join("\n")}\n`);
    return EXIT.error;
  }
  const { nodes, clients, workload, nemesis, time, rate, firstAddress } = flags;
  const extra = Object.fromEntries(collector.extraFlags.map((f) => new Option(f.flags).attributeName()).map((key) => [key, flags[key]]));
  try {
    const summary = await collector.run({ nodes, clients, workload, nemesis, time, rate, firstAddress, seed, output }, extra, { log: (line) => io.err(`${line}\n`) });
    const { ok, fail, info } = summary.completions;
    io.out(`${summary.file}\t${ok + fail + info} operations: ${ok} ok, ${fail} fail, ${info} info; ${summary.faults.length} faults\n`);
    io.err(`next: hindsight analyze ${summary.file}\n`);
    return EXIT.valid;
  } catch (error) {
    io.err(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.error;
  }
}

interface WorkerFlags {
  redis: string;
  concurrency: number;
  memoryLimit?: number;
  stallTimeout: number;
}

/** Runs until SIGINT/SIGTERM, then finishes the tasks in hand; exit 3 when Redis cannot be reached. */
async function workerCommand(flags: WorkerFlags, io: Io): Promise<number> {
  const { startQueueWorker } = await import("./workers/queue-worker.ts");
  const log = (line: string): void => io.err(`${new Date().toISOString()} ${line}\n`);
  const worker = await startQueueWorker({ redis: flags.redis, concurrency: flags.concurrency, memoryLimitMb: flags.memoryLimit, stallMs: flags.stallTimeout * 1000, maxStalls: 1, log });
  log(`worker: ${flags.concurrency} at once, taking tasks from ${flags.redis}`);
  const stop = (): void => void worker.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await worker.closed;
  log("worker: stopped");
  return EXIT.valid;
}

interface ConvertFlags {
  format: string;
  to: (typeof CONVERT_TARGETS)[number];
  out?: string;
  lenient?: boolean;
}

/** Exit 0 when written, 3 when the input could not be read (nothing is written then). */
async function convertCommand(file: string, flags: ConvertFlags, io: Io): Promise<number> {
  if (flags.format !== "auto") parserNamed(flags.format);
  const options = { format: flags.format, lenient: flags.lenient };
  try {
    const history = flags.out === undefined ? await convertToNdjson(file, options, io.out) : await convertToNdjsonFile(file, options, flags.out);
    io.err(`${file}: ${history.recordCount} records as ${history.format}${history.skippedCount ? `, ${history.skippedCount} skipped` : ""}${flags.out ? ` → ${flags.out}` : ""}\n`);
    return EXIT.valid;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.err(`hindsight: ${cutText(error.toString())}\n`);
    return EXIT.error;
  }
}

/** The effects the CLI has on the world, so tests can run it in-process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  setExitCode(code: number): void;
  colour: boolean;
  /** A progress display for `files` histories (silent when not on a terminal). */
  progress(files: number): Progress;
}

async function analyzeCommand(inputs: string[], flags: AnalyzeFlags, checkerFlags: FlagText, io: Io): Promise<number> {
  if (flags.format !== "auto") parserNamed(flags.format);
  for (const name of flags.checker) if (name !== "auto") checkerNamed(name);
  const budget = { timeLimitMs: flags.timeLimit === undefined ? undefined : flags.timeLimit * 1000, memoryLimitMb: flags.memoryLimit };
  validateCheckerFlags(checkerFlags, budget);
  const histories = await expandInputs(inputs);
  const files = histories.map((h) => h.load.name ?? h.path);
  const options: AnalyzeOptions = {
    format: flags.format,
    lenient: flags.lenient,
    checkers: flags.checker,
    flags: checkerFlags,
    ...budget,
  };
  const dirs = outputDirs(histories.map((h) => h.stem), flags.out);
  const tasks: AnalyzeTask[] = histories.map((h, i) => ({ file: h.path, options: { ...options, ...h.load }, output: { dir: dirs[i]!, formats: flags.report } }));
  const verdicts: FileVerdict[] = [];
  const entries: IndexEntry[] = [];
  let inputErrors = 0;
  let i = 0;
  const progress = flags.quiet || flags.json ? SILENT : io.progress(files.length);
  // Ctrl-C: a batch stops its workers and says so; a single inline analysis keeps Node's default
  // (exit at once). Either way no report is half-written: each is written aside and renamed.
  const interrupt = new AbortController();
  const stop = (): void => interrupt.abort();
  if (tasks.length > 1) process.once("SIGINT", stop);
  const runner = flags.redis === undefined ? createRunner(flags.workers, flags.memoryLimit) : await queueRunner(flags.redis, flags.quiet || flags.json ? undefined : io);
  const results = analyzeAll(tasks, runner, { progress, signal: interrupt.signal });
  try {
    for await (const result of results) {
      progress.stop(); // the first line printed ends the bar: they would garble each other
      handle(result);
      if (interrupt.signal.aborted) break;
    }
  } finally {
    progress.stop();
    process.removeListener("SIGINT", stop);
    await runner.close();
  }
  if (interrupt.signal.aborted) {
    io.err("hindsight: interrupted; reports already written are complete, the rest were not written\n");
    return EXIT.interrupted;
  }
  function handle(result: AnalyzeTaskResult): void {
    const file = files[i++]!;
    const dir = relative(flags.out, dirs[i - 1]!);
    entries.push(result.ok ? { file, dir, verdict: result.verdict } : { file, dir, error: result.message });
    if (!result.ok) {
      inputErrors++;
      io.err(result.userError ? `hindsight: ${cutText(result.message)}\n` : `hindsight: internal error while analyzing ${file} (please report it):\n${result.message}\n`);
      if (flags.json) io.out(JSON.stringify({ file, valid: null, error: result.message }) + "\n");
      return;
    }
    verdicts.push(result.verdict);
    if (flags.json) io.out(JSON.stringify(result.verdict) + "\n");
    else io.out(`${file}\t${paint(validityWord(result.verdict.valid), io.colour)}\n`);
    if (!flags.quiet && !flags.json) io.err(`  ${cutText(result.verdict.summary)}${flags.report.length ? ` → ${dirs[i - 1]}/` : ""}\n`);
  }
  const count = (w: string): number => verdicts.filter((v) => validityWord(v.valid) === w).length;
  if (!flags.json && !flags.quiet) {
    const parts = [`${count("valid")} valid`, `${count("invalid")} invalid`, `${count("unknown")} unknown`];
    if (inputErrors) parts.push(`${inputErrors} unreadable`);
    io.out(`${files.length} histor${files.length === 1 ? "y" : "ies"}: ${parts.join(", ")}\n`);
  }
  if (files.length > 1) {
    const written = await writeIndex(flags.out, entries, flags.report);
    if (written.length && !flags.json && !flags.quiet) io.err(`  index → ${written.join(", ")}\n`);
  }
  if (inputErrors > 0) return EXIT.error;
  if (count("invalid") > 0) return EXIT.invalid;
  if (count("unknown") > 0) return EXIT.unknown;
  return EXIT.valid;
}

/** The runner of `--redis`; its queue's counts go to stderr, at most once a second. */
async function queueRunner(url: string, io: Io | undefined): Promise<Runner> {
  const { QueueRunner } = await import("./workers/queue-runner.ts");
  let last = 0;
  return QueueRunner.connect(url, ({ queued, running, done }) => {
    if (!io || Date.now() - last < 1000) return;
    last = Date.now();
    io.err(`  queue: ${queued} queued, ${running} running, ${done} done\n`);
  });
}

/** One folder per history under `out`, named from its stem: never a path that leaves `out`. */
export function outputDirs(stems: string[], out: string): string[] {
  const used = new Map<string, number>();
  return stems.map((name) => {
    const stem = name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_") || "history";
    const n = (used.get(stem) ?? 0) + 1;
    used.set(stem, n);
    return join(out, n === 1 ? stem : `${stem}-${n}`);
  });
}

const COLOURS = { valid: "\x1b[32m", invalid: "\x1b[31m", unknown: "\x1b[33m" } as const;

function paint(word: "valid" | "invalid" | "unknown", colour: boolean): string {
  return colour ? `${COLOURS[word]}${word}\x1b[0m` : word;
}

/** Runs the CLI: user errors print one line and exit 3; only bugs show a stack trace. */
export async function main(argv: string[], io: Io): Promise<void> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      io.setExitCode(error.exitCode === 0 ? 0 : EXIT.error);
      return;
    }
    if (error instanceof UsageError) {
      io.err(`hindsight: ${error.message}\n`);
      io.setExitCode(EXIT.error);
      return;
    }
    throw error;
  }
}

export function processIo(): Io {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    setExitCode: (code) => {
      process.exitCode = code;
    },
    colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    progress: (files) => terminalProgress(files),
  };
}
