/**
 * npm run bench:start: what a user waits for on one history, whole processes through the
 * launcher (`dist/bin/`, the start-up snapshot and the charts' code cache as `npm run build` made
 * them), in interleaved rounds, as medians and as ratios to a bare `node -e 0` measured in the
 * same rounds: `hindsight --version`, `analyze FILE --report none`, and `analyze FILE` with the
 * default reports (FILE: histories/run-17.ndjson, the README's quick start, unless given).
 *   npm run bench:start [-- FILE]    (BENCH_ROUNDS, default 15)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = process.cwd();
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const file = process.argv[2] ?? join(ROOT, "histories", "run-17.ndjson");
const bin = (name: string): string => join(ROOT, "dist", "bin", name);

if (!existsSync(bin("hindsight"))) {
  console.log("bench:start: dist/ is missing; run `npm run build` first.");
  process.exit(1);
}

const out = mkdtempSync(join(tmpdir(), "hindsight-bench-start-"));
// NODE_OPTIONS would turn the snapshot off (npm may set it for the bench itself).
const env = { ...process.env, NODE_OPTIONS: undefined };
const commands: { name: string; command: string; args: string[] }[] = [
  { name: "node -e 0", command: process.execPath, args: ["-e", "0"] },
  { name: "hindsight --version", command: bin("hindsight"), args: ["--version"] },
  { name: "analyze FILE --report none", command: bin("analyze"), args: [file, "--report", "none", "--quiet"] },
  { name: "analyze FILE (default reports)", command: bin("analyze"), args: [file, "--out", out, "--quiet"] },
];

function wallMs(command: string, args: string[]): number {
  const start = performance.now();
  const run = spawnSync(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - start;
  // Exit codes 0–2 are verdicts; anything else means the run itself failed.
  if (run.status === null || run.status > 2) throw new Error(`${command} ${args.join(" ")}: exit ${run.status}: ${run.stderr.toString().slice(0, 500)}`);
  return ms;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

try {
  for (const { command, args } of commands) wallMs(command, args); // warm-up: page cache, report folder
  const times = commands.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) commands.forEach(({ command, args }, i) => times[i]!.push(wallMs(command, args)));
  console.log(`whole processes, ${ROUNDS} interleaved rounds, FILE = ${file}: median ms, and the median of each round's ratio to node -e 0`);
  commands.forEach(({ name }, i) => {
    const ratio = median(times[i]!.map((ms, round) => ms / times[0]![round]!));
    console.log(`${name.padEnd(32)} ${median(times[i]!).toFixed(0).padStart(6)} ms ${ratio.toFixed(2).padStart(7)}x`);
  });
} finally {
  rmSync(out, { recursive: true, force: true });
}
