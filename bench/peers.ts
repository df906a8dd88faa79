/**
 * Hindsight beside Porcupine on the same files, in interleaved pairs (H P H P …), as ratios
 * Hindsight / Porcupine:
 *   - whole process, per file and for the whole batch in one process (`hindsight analyze` with
 *     default options, reports written to a temporary folder; `porcupine-bench FILE…`);
 *   - check only (parsing excluded): Porcupine's own timing (best of its -rounds) against the
 *     linearizable checker in this process (best of as many rounds).
 * Porcupine's benchmark command is built from ../shared/peers/porcupine (HINDSIGHT_PEERS to
 * point elsewhere) when `go` is installed; otherwise the bench says so and stops.
 *   npm run bench:peers [-- FILE…]    (default: the etcd and kv logs of ../shared/corpus/porcupine)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { linearizableChecker } from "../src/checkers/linearizability/checker.ts";
import { loadHistory } from "../src/load.ts";

const ROOT = process.cwd();
const PEERS = process.env.HINDSIGHT_PEERS ?? join(ROOT, "..", "shared", "peers");
const CORPUS = process.env.HINDSIGHT_CORPUS ?? join(ROOT, "..", "shared", "corpus");
const PAIRS = Number(process.env.BENCH_PAIRS ?? 5);
const HINDSIGHT = join(ROOT, "dist", "bin", "hindsight.js");

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

/** Wall ms of one run; the command must succeed in the sense of having run (exit codes 0–2 are verdicts). */
function wallMs(command: string, args: string[]): number {
  const start = performance.now();
  const run = spawnSync(command, args, { stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - start;
  if (run.status === null || run.status > 2) throw new Error(`${command} ${args.slice(0, 3).join(" ")} …: exit ${run.status}: ${run.stderr.toString().slice(0, 500)}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
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
function porcupineCheck(binary: string, files: string[]): Map<string, { verdict: string; checkMs: number }> {
  const out = execFileSync(binary, ["-rounds", String(PAIRS), ...files], { encoding: "utf8", maxBuffer: 1 << 26 });
  const byFile = new Map<string, { verdict: string; checkMs: number }>();
  for (const line of out.trim().split("\n")) {
    const [path, verdict, check] = line.split("\t");
    if (path !== "total") byFile.set(path!, { verdict: verdict!, checkMs: Number(check) });
  }
  return byFile;
}

async function hindsightCheck(file: string): Promise<{ verdict: string; checkMs: number }> {
  const history = await loadHistory(file);
  const checker = linearizableChecker.configure({}, {});
  let best = Infinity;
  let valid: unknown;
  for (let round = 0; round < PAIRS; round++) {
    const start = performance.now();
    valid = checker.check(history).valid;
    best = Math.min(best, performance.now() - start);
  }
  return { verdict: valid === true ? "Ok" : valid === false ? "Illegal" : "Unknown", checkMs: best };
}

const fmt = (x: number): string => x.toFixed(2);

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
const work = mkdtempSync(join(tmpdir(), "hindsight-peers-"));
try {
  const binary = join(work, "porcupine-bench");
  execFileSync("go", ["build", "-o", binary, "./cmd/porcupine-bench"], { cwd: join(PEERS, "porcupine"), stdio: "inherit" });
  const given = process.argv.slice(2);
  const groups = given.length > 0 ? [{ group: "given", files: given }] : defaultFiles();
  const out = join(work, "reports");
  const hindsightRun = (files: string[]) => () => wallMs(process.execPath, [HINDSIGHT, "analyze", ...files, "--out", out, "--quiet"]);
  const porcupineRun = (files: string[]) => () => wallMs(binary, files);
  console.log(`ratios Hindsight / Porcupine, median of ${PAIRS} interleaved pairs (whole process: wall time; check only: best of ${PAIRS} rounds each)\n`);
  for (const { group, files } of groups) {
    const peer = porcupineCheck(binary, files);
    console.log(`${group}: ${files.length} files`);
    console.log(`${"file".padEnd(28)} ${"verdicts".padEnd(16)} ${"check ms H / P".padEnd(20)} check  process ms H / P    process`);
    let checkH = 0;
    let checkP = 0;
    for (const file of files) {
      const h = await hindsightCheck(file);
      const p = peer.get(file) ?? { verdict: "?", checkMs: NaN };
      checkH += h.checkMs;
      checkP += p.checkMs;
      const whole = interleaved(hindsightRun([file]), porcupineRun([file]));
      const agree = h.verdict === p.verdict ? "" : " (verdicts differ)";
      console.log(
        `${relative(CORPUS, file).padEnd(28)} ${`${h.verdict} / ${p.verdict}`.padEnd(16)} ${`${fmt(h.checkMs)} / ${fmt(p.checkMs)}`.padEnd(20)} ${fmt(h.checkMs / p.checkMs).padStart(5)}x ${`${whole.h.toFixed(0)} / ${whole.p.toFixed(0)}`.padEnd(18)} ${fmt(whole.ratio).padStart(5)}x${agree}`,
      );
    }
    const batch = interleaved(hindsightRun(files), porcupineRun(files));
    console.log(`${group} total: check only ${fmt(checkH)} / ${fmt(checkP)} ms = ${fmt(checkH / checkP)}x; the whole batch in one process ${batch.h.toFixed(0)} / ${batch.p.toFixed(0)} ms = ${fmt(batch.ratio)}x\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
