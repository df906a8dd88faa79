/**
 * Hindsight beside Porcupine on the same files, in interleaved pairs (H P H P …), as ratios
 * Hindsight / Porcupine:
 *   - whole process, per file and for the whole batch in one process (`hindsight analyze` with
 *     default options, reports written to a temporary folder; `porcupine-bench FILE…`);
 *   - check only (parsing excluded): Porcupine's own timing (best of its -rounds) against the
 *     linearizable checker of dist/ in this process (best of as many rounds), each file's first rounds
 *     in a fresh process ("check"), and warm: best of WARM_ROUNDS each, once every file of the
 *     group has been checked WARM_ROUNDS times ("warm");
 *   - search steps: Hindsight's `searchSteps` against Porcupine's loop iterations, counted by a
 *     copy of Porcupine built in a temporary folder with a counter added to its search loop
 *     (the timed binary is Porcupine as it is);
 *   - for kv logs (.txt), the same work on both sides, warm: Porcupine stops at the first key that fails
 *     and Hindsight decides every key, so each is also timed doing what the other does: every
 *     key decided (Porcupine's `-each`, every partition checked on its own, best of WARM_ROUNDS
 *     runs per key, summed) and the first failure (Hindsight's `--first-failure`).
 * Porcupine's benchmark command is built from ../shared/peers/porcupine (HINDSIGHT_PEERS to
 * point elsewhere) when `go` is installed; otherwise the bench says so and stops.
 *   npm run bench:peers [-- FILE…]    (default: the etcd and kv logs of ../shared/corpus/porcupine)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { median, wallMs } from "./whole-process.ts";

const ROOT = process.cwd();
const PEERS = process.env.HINDSIGHT_PEERS ?? join(ROOT, "..", "shared", "peers");
const CORPUS = process.env.HINDSIGHT_CORPUS ?? join(ROOT, "..", "shared", "corpus");
const PAIRS = Number(process.env.BENCH_PAIRS ?? 5);
/** Rounds per file for the warm check: enough for V8 to optimise the search, and for Go's best round to settle. */
const WARM_ROUNDS = Number(process.env.BENCH_WARM_ROUNDS ?? 200);
/** The command users run: the launcher that starts from the start-up snapshot (scripts/build-snapshot.mjs). */
const HINDSIGHT = join(ROOT, "dist", "bin", "hindsight");

function goAvailable(): boolean {
  return spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
}

function defaultFiles(): { group: string; files: string[] }[] {
  const dir = (d: string, ext: string): string[] => (existsSync(join(CORPUS, d)) ? readdirSync(join(CORPUS, d)).filter((f) => f.endsWith(ext)).sort().map((f) => join(CORPUS, d, f)) : []);
  return [
    { group: "etcd", files: dir("porcupine/etcd", ".log") },
    { group: "kv", files: dir("porcupine/kv", ".txt") },
  ].filter((g) => g.files.length > 0);
}

/** Median of the pair-by-pair ratios H/P, and each side's median ms. */
function interleaved(hindsight: () => number, porcupine: () => number): { ratio: number; h: number; p: number } {
  hindsight();
  porcupine(); // warm-up: file cache, page cache of the binaries
  const hs: number[] = [];
  const ps: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    hs.push(hindsight());
    ps.push(porcupine());
  }
  return { ratio: median(hs.map((h, i) => h / ps[i]!)), h: median(hs), p: median(ps) };
}

/** Porcupine's lines: path, verdict, best check ms, parse ms, ops. */
function porcupineCheck(binary: string, files: string[], rounds: number): Map<string, { verdict: string; checkMs: number }> {
  const out = execFileSync(binary, ["-rounds", String(rounds), ...files], { encoding: "utf8", maxBuffer: 1 << 26 });
  const byFile = new Map<string, { verdict: string; checkMs: number }>();
  for (const line of out.trim().split("\n")) {
    const [path, verdict, check] = line.split("\t");
    if (path !== "total") byFile.set(path!, { verdict: verdict!, checkMs: Number(check) });
  }
  return byFile;
}

/**
 * Builds a copy of Porcupine whose benchmark command also prints, per file, the iterations of
 * its search loop (a sixth column); undefined when its sources no longer have the lines patched.
 */
function buildStepCounter(work: string): string | undefined {
  const copy = join(work, "porcupine-steps");
  cpSync(join(PEERS, "porcupine"), copy, { recursive: true });
  const patch = (file: string, from: string, to: string): boolean => {
    const text = readFileSync(join(copy, file), "utf8");
    if (!text.includes(from)) return false;
    writeFileSync(join(copy, file), text.replace(from, to));
    return true;
  };
  writeFileSync(join(copy, "steps.go"), "package porcupine\n\n// Steps counts the iterations of checkSingle's loop.\nvar Steps int64\n");
  const patched =
    patch("checker.go", "\tfor headEntry.next != nil {\n", "\tfor headEntry.next != nil {\n\t\tatomic.AddInt64(&Steps, 1)\n") &&
    patch("checker.go", 'import (\n', 'import (\n\t"sync/atomic"\n') &&
    patch("cmd/porcupine-bench/main.go", "\t\t\tt0 := time.Now()\n\t\t\tverdict = ", "\t\t\tporcupine.Steps = 0\n\t\t\tt0 := time.Now()\n\t\t\tverdict = ") &&
    patch("cmd/porcupine-bench/main.go", '"%s\\t%s\\t%.3f\\t%.3f\\t%d\\n", path, verdict, best, parseMs, len(events)/2)', '"%s\\t%s\\t%.3f\\t%.3f\\t%d\\t%d\\n", path, verdict, best, parseMs, len(events)/2, porcupine.Steps)');
  if (!patched) return undefined;
  const binary = join(work, "porcupine-steps-bench");
  execFileSync("go", ["build", "-o", binary, "./cmd/porcupine-bench"], { cwd: copy, stdio: "inherit" });
  return binary;
}

/** Porcupine's search steps per file (one round). */
function porcupineSteps(binary: string, files: string[]): Map<string, number> {
  const out = execFileSync(binary, files, { encoding: "utf8", maxBuffer: 1 << 26 });
  const byFile = new Map<string, number>();
  for (const line of out.trim().split("\n")) {
    const fields = line.split("\t");
    if (fields[0] !== "total" && fields[5] !== undefined) byFile.set(fields[0]!, Number(fields[5]));
  }
  return byFile;
}

/** Porcupine deciding every partition of each kv log: its `-each` times, best of `runs` per partition, summed per file. */
function porcupineEveryKey(binary: string, files: string[], runs: number): Map<string, number> {
  const best = new Map<string, number>();
  for (let run = 0; run < runs; run++) {
    const out = execFileSync(binary, ["-rounds", "1", "-each", ...files], { encoding: "utf8", maxBuffer: 1 << 26 });
    for (const line of out.trim().split("\n")) {
      const [part, , check] = line.split("\t");
      if (part!.includes("#key=")) best.set(part!, Math.min(best.get(part!) ?? Infinity, Number(check)));
    }
  }
  const byFile = new Map<string, number>();
  for (const [part, ms] of best) {
    const file = part.slice(0, part.indexOf("#key="));
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
  }
  return byFile;
}

async function hindsightCheck(file: string, rounds: number, flags: Record<string, string> = {}): Promise<{ verdict: string; checkMs: number; steps: number }> {
  const history = await loadHistory(file);
  const checker = linearizableChecker.configure(flags, {});
  let best = Infinity;
  let result: ReturnType<typeof checker.check> | undefined;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    result = checker.check(history);
    best = Math.min(best, performance.now() - start);
  }
  const valid = result?.valid;
  const steps = result !== undefined && "searchSteps" in result.stats ? Number(result.stats.searchSteps ?? 0) : 0;
  return { verdict: valid === true ? "Ok" : valid === false ? "Illegal" : "Unknown", checkMs: best, steps };
}

const fmt = (x: number): string => x.toFixed(2);

/** The kv logs warm, each side doing what the other does: every key decided, and stopping at the first failing key. */
async function sameWork(binary: string, files: string[], peerWarm: Map<string, { checkMs: number }>): Promise<void> {
  const everyKey = porcupineEveryKey(binary, files, WARM_ROUNDS);
  console.log(`the same work, warm ms H / P: every key decided (Porcupine -each, summed) | the first failing key (Hindsight --first-failure)`);
  let sums = [0, 0, 0, 0];
  for (const file of files) {
    const every = [(await hindsightCheck(file, WARM_ROUNDS)).checkMs, everyKey.get(file) ?? NaN];
    const first = [(await hindsightCheck(file, WARM_ROUNDS, { firstFailure: "true" })).checkMs, peerWarm.get(file)?.checkMs ?? NaN];
    sums = sums.map((sum, i) => sum + [...every, ...first][i]!);
    console.log(`${relative(CORPUS, file).padEnd(28)} ${`${fmt(every[0]!)} / ${fmt(every[1]!)}`.padEnd(14)} ${fmt(every[0]! / every[1]!).padStart(5)}x | ${`${fmt(first[0]!)} / ${fmt(first[1]!)}`.padEnd(14)} ${fmt(first[0]! / first[1]!).padStart(5)}x`);
  }
  console.log(`${"total".padEnd(28)} ${`${fmt(sums[0]!)} / ${fmt(sums[1]!)}`.padEnd(14)} ${fmt(sums[0]! / sums[1]!).padStart(5)}x | ${`${fmt(sums[2]!)} / ${fmt(sums[3]!)}`.padEnd(14)} ${fmt(sums[2]! / sums[3]!).padStart(5)}x`);
}

if (!goAvailable()) {
  console.log("bench:peers: `go` is not installed (apt-get install -y golang-go); nothing compared.");
  process.exit(0);
}
if (!existsSync(join(PEERS, "porcupine", "cmd", "porcupine-bench"))) {
  console.log(`bench:peers: no ${join(PEERS, "porcupine", "cmd", "porcupine-bench")}; nothing compared.`);
  process.exit(0);
}
if (!existsSync(HINDSIGHT)) {
  console.log("bench:peers: dist/ is missing; run `npm run build` first.");
  process.exit(1);
}
// Checks in this process run the built modules, as users do, not the sources through tsx (whose
// output was ~30% slower on the smallest kv logs). Their types are those of the sources they are built from.
const built = (path: string): string => pathToFileURL(join(ROOT, "dist", path)).href;
const { linearizableChecker } = (await import(built("checkers/linearizability/checker.js"))) as typeof import("../src/checkers/linearizability/checker.ts");
const { loadHistory } = (await import(built("load.js"))) as typeof import("../src/load.ts");
const work = mkdtempSync(join(tmpdir(), "hindsight-peers-"));
try {
  const binary = join(work, "porcupine-bench");
  execFileSync("go", ["build", "-o", binary, "./cmd/porcupine-bench"], { cwd: join(PEERS, "porcupine"), stdio: "inherit" });
  const stepCounter = buildStepCounter(work);
  if (stepCounter === undefined) console.log("Porcupine's sources changed: its search steps are not counted.\n");
  const given = process.argv.slice(2);
  const groups = given.length > 0 ? [{ group: "given", files: given }] : defaultFiles();
  const out = join(work, "reports");
  const hindsightRun =
    (files: string[], ...options: string[]) =>
    () =>
      wallMs(HINDSIGHT, ["analyze", ...files, "--out", out, "--quiet", ...options]);
  const porcupineRun = (files: string[]) => () => wallMs(binary, files);
  console.log(`ratios Hindsight / Porcupine, median of ${PAIRS} interleaved pairs (whole process: wall time; check only: best of ${PAIRS} rounds each)\n`);
  for (const { group, files } of groups) {
    const peer = porcupineCheck(binary, files, PAIRS);
    const peerWarm = porcupineCheck(binary, files, WARM_ROUNDS);
    const peerSteps = stepCounter === undefined ? new Map<string, number>() : porcupineSteps(stepCounter, files);
    console.log(`${group}: ${files.length} files`);
    console.log(`${"file".padEnd(28)} ${"verdicts".padEnd(16)} ${"steps H / P".padEnd(20)} ${"check ms H / P".padEnd(20)} check  ${"warm ms H / P".padEnd(20)}  warm  process ms H / P    process`);
    let checkH = 0;
    let checkP = 0;
    let warmH = 0;
    let warmP = 0;
    let stepsH = 0;
    let stepsP = 0;
    let moreSteps = 0;
    const firstRounds = new Map<string, Awaited<ReturnType<typeof hindsightCheck>>>();
    for (const file of files) firstRounds.set(file, await hindsightCheck(file, PAIRS));
    // Warm is steady: every file of the group is checked WARM_ROUNDS times before any is timed
    // warm, or the first file's rounds would also pay for compiling what the group's files share.
    for (const file of files) await hindsightCheck(file, WARM_ROUNDS);
    for (const file of files) {
      const h = firstRounds.get(file)!;
      const p = peer.get(file) ?? { verdict: "?", checkMs: NaN };
      const hWarm = (await hindsightCheck(file, WARM_ROUNDS)).checkMs;
      const pWarm = peerWarm.get(file)?.checkMs ?? NaN;
      warmH += hWarm;
      warmP += pWarm;
      const pSteps = peerSteps.get(file) ?? NaN;
      checkH += h.checkMs;
      checkP += p.checkMs;
      stepsH += h.steps;
      stepsP += pSteps;
      if (h.steps > pSteps) moreSteps++;
      const whole = interleaved(hindsightRun([file]), porcupineRun([file]));
      const agree = h.verdict === p.verdict ? "" : " (verdicts differ)";
      console.log(
        `${relative(CORPUS, file).padEnd(28)} ${`${h.verdict} / ${p.verdict}`.padEnd(16)} ${`${h.steps} / ${pSteps}`.padEnd(20)} ${`${fmt(h.checkMs)} / ${fmt(p.checkMs)}`.padEnd(20)} ${fmt(h.checkMs / p.checkMs).padStart(5)}x ${`${fmt(hWarm)} / ${fmt(pWarm)}`.padEnd(20)} ${fmt(hWarm / pWarm).padStart(5)}x ${`${whole.h.toFixed(0)} / ${whole.p.toFixed(0)}`.padEnd(18)} ${fmt(whole.ratio).padStart(5)}x${agree}`,
      );
    }
    if (files.every((f) => f.endsWith(".txt"))) await sameWork(binary, files, peerWarm);
    const batch = interleaved(hindsightRun(files), porcupineRun(files));
    const bare = interleaved(hindsightRun(files, "--report", "none"), porcupineRun(files));
    console.log(
      `${group} total: search steps ${stepsH} / ${stepsP} = ${(stepsH / stepsP).toFixed(4)}x, more than Porcupine on ${moreSteps} of ${files.length} files; check only ${fmt(checkH)} / ${fmt(checkP)} ms = ${fmt(checkH / checkP)}x (warm: ${fmt(warmH)} / ${fmt(warmP)} ms = ${fmt(warmH / warmP)}x); the whole batch in one process ${batch.h.toFixed(0)} / ${batch.p.toFixed(0)} ms = ${fmt(batch.ratio)}x (--report none: ${bare.h.toFixed(0)} / ${bare.p.toFixed(0)} ms = ${fmt(bare.ratio)}x)\n`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
