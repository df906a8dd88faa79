import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { AnalyzeOptions } from "./analyze.ts";
import type { FlagText } from "./checkers/checker.ts";
import type { RegisteredChecker } from "./checkers/descriptor.ts";
import type { Collector, CommonFlags } from "./collect/collectors.ts";
import { UsageError } from "./history/errors.ts";
import type { ConvertTarget } from "./convert.ts";
import { REPORT_FORMATS, type ReportFormat } from "./report/report-formats.ts";
import type { SimulationOptions } from "./simulate/simulator.ts";
import type { AnalyzeTask } from "./workers/analyze-task.ts";
import { EXIT, EXIT_HELP, explain } from "./cli/errors.ts";
import type { Io } from "./cli/terminal.ts";
import type { OutputStyle } from "./cli/analyze-run.ts";
import { VERSION } from "./version.ts";

export { EXIT } from "./cli/errors.ts";
export { processIo, type Io } from "./cli/terminal.ts";

// Only commander is loaded up front: `--version` and `--help` cost little more than starting node.
// Each command loads what it needs when it runs (or when its own --help is asked for).

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
  output: OutputStyle;
  quiet?: boolean;
  redis?: string;
  sendInputs?: boolean;
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

function collectNames(value: string, previous: string[]): string[] {
  return [...(previous.length === 1 && previous[0] === "auto" ? [] : previous), ...value.split(",")];
}

/** The checkers' own flags, once each (checkers may share one, e.g. --initial), as string options. */
function checkerOptions(checkers: readonly RegisteredChecker[]): Option[] {
  const seen = new Map(checkers.flatMap((c) => c.flags).map((f) => [f.flags, f]));
  return [...seen.values()].map((f) => new Option(f.flags, f.description));
}

/** What the user gave for the checkers' flags, by attribute name. */
function checkerFlagText(options: readonly Option[], values: Record<string, unknown>): FlagText {
  return Object.fromEntries(
    options.flatMap((o) => {
      const value = values[o.attributeName()];
      // A switch (a flag without a value, e.g. --wfr-keys) arrives as true, its --no- form as false: its text is "true" or "false".
      return typeof value === "string" || typeof value === "boolean" ? [[o.attributeName(), String(value)]] : [];
    }),
  );
}

/**
 * The program: every command's name and description, and the options of the one about to run
 * (`argv[0]`; all of them for `help`), whose definitions load that command's modules.
 */
export async function buildProgram(io: Io, argv: readonly string[] = ["help"]): Promise<Command> {
  const program = new Command("hindsight")
    .description("Analyze distributed-systems operation histories: what the database did wrong, with evidence.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .addHelpText("after", EXIT_HELP);
  const wanted = (name: string): boolean => argv[0] === name || argv[0] === "help";
  const analyze = program.command("analyze").description("check histories and write verdicts and reports");
  if (wanted("analyze")) await defineAnalyze(analyze, io);
  const collect = program.command("collect").description("run a real database on this machine under faults and record its history");
  if (wanted("collect")) await defineCollect(collect, io);
  const simulate = program.command("simulate").description("simulate a five-node cluster misbehaving and write a labelled history (NDJSON) and its truth file");
  if (wanted("simulate")) await defineSimulate(simulate, io);
  const convert = program.command("convert").description("rewrite a history in another format (canonical NDJSON or EDN)");
  if (wanted("convert")) await defineConvert(convert, io);
  const worker = program.command("worker").description("take analysis tasks from a Redis queue until stopped (Ctrl-C); see docs/scale-out.md");
  if (wanted("worker")) defineWorker(worker, io);
  return program;
}

async function defineAnalyze(command: Command, io: Io): Promise<void> {
  const [{ PARSERS }, { CHECKERS }] = await Promise.all([import("./parsers/registry.ts"), import("./checkers/registry.ts")]);
  command
    .argument("<files...>", "history files or folders of them")
    .addOption(new Option("--format <name>", `input format: auto or ${PARSERS.map((p) => p.name).join(", ")}`).default("auto"))
    .addOption(new Option("--checker <names>", `checkers to run (comma-separated or repeated): auto, optionally with others (auto,set), or ${CHECKERS.map((c) => c.name).join(", ")}`).default(["auto"]).argParser(collectNames));
  const checkerFlags = checkerOptions(CHECKERS);
  for (const option of checkerFlags) command.addOption(option);
  command
    .option("--out <dir>", "report folder; each history gets <dir>/<file-stem>/", "hindsight-report")
    .addOption(new Option("--report <formats>", "reports to write: json,md,html or none (json: verdict.json and Jepsen's results.edn)").default(["json", "md", "html"], "json,md,html").argParser(reportFormats))
    .option("--time-limit <seconds>", "deadline for the whole analysis of each history (reading, then every checker); when hit, unknown", positiveNumber)
    .option("--memory-limit <MB>", "heap ceiling per analysis; past it the history is unknown, the process carries on", positiveInteger)
    .option("--workers <n>", "threads for histories and their checkers' independent parts (not used with --redis)", positiveInteger, availableParallelism())
    .option("--redis <url>", "run the tasks on `hindsight worker`s through this Redis instead of local threads (docs/scale-out.md)")
    .option("--send-inputs", "with --redis: send each history with its task, for workers that cannot see its path (size limit: docs/scale-out.md)")
    .option("--lenient", "skip and count unreadable records instead of stopping (never valid then)")
    .addOption(new Option("--output <style>", "stdout: text (PATH<TAB>verdict), json (one verdict per line) or elle (PATH<TAB>true|false|unknown)").choices(["text", "json", "elle"]).default("text"))
    .option("--json", "the same as --output json")
    .option("--quiet", "print nothing but the per-file lines")
    .addHelpText("after", EXIT_HELP)
    .action(async (files: string[], flags: AnalyzeFlags & Record<string, unknown>) => {
      io.setExitCode(await analyzeCommand(files, flags, checkerFlagText(checkerFlags, flags), io));
    });
}

interface WorkerFlags {
  redis: string;
  concurrency: number;
  memoryLimit?: number;
  stallTimeout: number;
}

function defineWorker(command: Command, io: Io): void {
  command
    .requiredOption("--redis <url>", "the Redis the submitters use, e.g. redis://host:6379")
    .option("--concurrency <n>", "tasks at once, each on a thread", positiveInteger, availableParallelism())
    .option("--memory-limit <MB>", "heap ceiling per task; past it the task fails", positiveInteger)
    .option("--stall-timeout <seconds>", "a task whose worker is silent this long goes to another worker", positiveNumber, 30)
    .addHelpText("after", EXIT_HELP)
    .action(async (flags: WorkerFlags) => {
      io.setExitCode(await workerCommand(flags, io));
    });
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

async function defineCollect(collect: Command, io: Io): Promise<void> {
  const { COLLECTORS } = await import("./collect/registry.ts");
  for (const collector of COLLECTORS) addCollectCommand(collect, collector, io);
}

async function defineSimulate(command: Command, io: Io): Promise<void> {
  const [{ catalogHelp }, { DEFAULT_OPTIONS: SIMULATE_DEFAULTS }] = await Promise.all([import("./simulate/catalog.ts"), import("./simulate/simulator.ts")]);
  command
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
    .addHelpText("after", catalogHelp() + EXIT_HELP)
    .action(async (flags: SimulationOptions & { output?: string; truth?: string }) => {
      const { output, truth, ...options } = flags;
      const [{ simulateToFile, truthPathFor }, { assertFolderFor }] = await Promise.all([import("./simulate/run.ts"), import("./report/write.ts")]);
      // Both folders are checked first: never a history on stdout and then a failure for the truth.
      for (const path of [output, truth ?? (output === undefined ? undefined : truthPathFor(output))]) if (path !== undefined) assertFolderFor(path);
      const found = await simulateToFile(options, output ?? io.out, truth);
      if (output !== undefined) io.err(`${output}: ${found.records} records; ${found.violations.length ? found.violations.join("; ") : "no violations inside the cluster"}\n`);
      io.setExitCode(0);
    });
}

async function defineConvert(command: Command, io: Io): Promise<void> {
  const [{ PARSERS }, { CONVERT_TARGETS }] = await Promise.all([import("./parsers/registry.ts"), import("./convert.ts")]);
  command
    .argument("<file>", "the history to convert")
    .addOption(new Option("--format <name>", `input format: auto or ${PARSERS.map((p) => p.name).join(", ")}`).default("auto"))
    .addOption(new Option("--to <format>", "output format").choices(CONVERT_TARGETS).default("ndjson"))
    .option("-o, --out <file>", "output file (default: standard output)")
    .option("--lenient", "skip and count unreadable records instead of stopping")
    .addHelpText("after", EXIT_HELP)
    .action(async (file: string, flags: ConvertFlags) => {
      io.setExitCode(await convertCommand(file, flags, io));
    });
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
    .addHelpText("after", "\nExit codes: 0 the history was written; 3 a requirement is missing or the run failed;\n4 the history file cannot be written there; 130 interrupted (members stopped and iptables rules removed first).")
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
  const { outputProblem } = await import("./collect/preflight.ts");
  const problem = outputProblem(output); // before anything starts
  if (problem !== undefined) {
    io.err(`hindsight: cannot write ${problem}\n`);
    return EXIT.output;
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

interface ConvertFlags {
  format: string;
  to: ConvertTarget;
  out?: string;
  lenient?: boolean;
}

/** Exit 0 when written, 3 when the input could not be read, 4 when the output could not be written. */
async function convertCommand(file: string, flags: ConvertFlags, io: Io): Promise<number> {
  const [{ parserNamed }, { convertHistory }] = await Promise.all([import("./parsers/registry.ts"), import("./convert.ts")]);
  if (flags.format !== "auto") parserNamed(flags.format);
  if ((await stat(file).catch(() => undefined))?.isDirectory()) throw new UsageError(`${file}: is a folder; convert reads one history file`);
  const history = await convertHistory(file, { format: flags.format, lenient: flags.lenient }, flags.to, flags.out ?? io.out);
  io.err(`${file}: ${history.recordCount} records as ${history.format}${history.skippedCount ? `, ${history.skippedCount} skipped` : ""}${flags.out ? ` → ${flags.out}` : ""}\n`);
  return EXIT.valid;
}

async function analyzeCommand(inputs: string[], flags: AnalyzeFlags, givenFlags: FlagText, io: Io): Promise<number> {
  if (flags.sendInputs && flags.redis === undefined) throw new UsageError("--send-inputs: needs --redis (a local run reads the files itself)");
  const [{ parserNamed }, { checkerNamed, validateCheckerFlags }, { resolveModel }, { runAnalyses }, { expandInputs }] = await Promise.all([
    import("./parsers/registry.ts"),
    import("./checkers/registry.ts"),
    import("./cli/models.ts"),
    import("./cli/analyze-run.ts"),
    import("./inputs.ts"),
  ]);
  if (flags.format !== "auto") parserNamed(flags.format);
  const { checkers, flags: checkerFlags } = resolveModel(flags.checker, givenFlags);
  for (const name of checkers) if (name !== "auto") checkerNamed(name);
  const budget = { timeLimitMs: flags.timeLimit === undefined ? undefined : flags.timeLimit * 1000, memoryLimitMb: flags.memoryLimit };
  validateCheckerFlags(checkerFlags, budget);
  const histories = await expandInputs(inputs);
  const options: AnalyzeOptions = {
    format: flags.format,
    lenient: flags.lenient,
    checkers,
    flags: checkerFlags,
    ...budget,
  };
  const dirs = outputDirs(histories.map((h) => h.stem), flags.out);
  const tasks: AnalyzeTask[] = histories.map((h, i) => ({ file: h.path, options: { ...options, ...h.load }, output: { dir: dirs[i]!, formats: flags.report } }));
  return runAnalyses(tasks, { out: flags.out, report: flags.report, workers: flags.workers, memoryLimitMb: flags.memoryLimit, redis: flags.redis, sendInputs: flags.sendInputs ?? false, style: flags.json ? "json" : flags.output, quiet: flags.quiet ?? false }, io);
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

/** Runs the CLI: every error goes through one path (`hindsight: WHAT: WHY`); only bugs show a stack trace. */
export async function main(argv: string[], io: Io): Promise<void> {
  try {
    const program = await buildProgram(io, argv);
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      io.setExitCode(error.exitCode === 0 ? 0 : EXIT.error);
      return;
    }
    const { message, code } = explain(error);
    if (message !== undefined) io.err(`${message}\n`);
    io.setExitCode(code);
  }
}
