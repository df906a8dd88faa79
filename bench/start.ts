/**
 * npm run bench:start: what a user waits for on one history, whole processes through the
 * launcher (`dist/bin/`, the start-up snapshot and the charts' code cache as `npm run build` made
 * them), in interleaved rounds, as medians and as ratios to a bare `node -e 0` measured in the
 * same rounds: `hindsight --version`, `analyze FILE --report none`, and `analyze FILE` with the
 * default reports (FILE: histories/run-17.ndjson, the README's quick start, unless given).
 *   npm run bench:start [-- FILE]    (BENCH_ROUNDS, default 15)
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, wallMs } from "./whole-process.ts";

const ROOT = process.cwd();
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const file = process.argv[2] ?? join(ROOT, "histories", "run-17.ndjson");
const bin = (name: string): string => join(ROOT, "dist", "bin", name);

if (!existsSync(bin("hindsight"))) {
  console.log("bench:start: dist/ is missing; run `npm run build` first.");
  process.exit(1);
}

const out = mkdtempSync(join(tmpdir(), "hindsight-bench-start-"));
const commands: { name: string; command: string; args: string[] }[] = [
  { name: "node -e 0", command: process.execPath, args: ["-e", "0"] },
  { name: "hindsight --version", command: bin("hindsight"), args: ["--version"] },
  { name: "analyze FILE --report none", command: bin("analyze"), args: [file, "--report", "none", "--quiet"] },
  { name: "analyze FILE (default reports)", command: bin("analyze"), args: [file, "--out", out, "--quiet"] },
];

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
