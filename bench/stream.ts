/**
 * npm run bench:stream: peak RSS and time of `analyze --memory-limit 1200` on huge simulated
 * histories (default 10M records each of register, cas-register, set, counter, bank, unique-ids and queue), which stream through the
 * foldable checkers (register and cas-register through `linearizable`). Each analysis runs in its own process so its peak RSS is its own; the
 * memory limit caps the worker's heap, so V8 collects instead of growing lazily.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simulateToFile } from "../src/simulate/run.ts";
import { DEFAULT_OPTIONS } from "../src/simulate/simulator.ts";

const OPS = Number(process.env.BENCH_OPS ?? 10_000_000);
const WORKLOADS = (process.env.BENCH_WORKLOADS ?? "register,cas-register,set,counter,bank,unique-ids,queue").split(",");
/** The checkers each workload's history streams through (besides stats). */
const CHECKERS: Record<string, string> = { register: "stats,linearizable", "cas-register": "stats,linearizable", queue: "stats,queue,total-queue" };
const MEMORY_LIMIT_MB = process.env.BENCH_MEMORY_LIMIT_MB ?? "1200";
const dir = join(tmpdir(), "hindsight-bench");
mkdirSync(dir, { recursive: true });

for (const workload of WORKLOADS) {
  const file = join(dir, `stream-${workload}-${OPS}.ndjson`);
  if (!existsSync(file)) await simulateToFile({ ...DEFAULT_OPTIONS, workload, ops: OPS }, file);
  const checkers = CHECKERS[workload] ?? `stats,${workload}`;
  const script = `
    const { main } = await import(${JSON.stringify(new URL("../src/cli.ts", import.meta.url).href)});
    let out = "";
    const started = process.hrtime.bigint();
    await main(["analyze", ${JSON.stringify(file)}, "--checker", ${JSON.stringify(checkers)}, "--memory-limit", ${JSON.stringify(MEMORY_LIMIT_MB)}, "--report", "none", "--json"], {
      out: (s) => void (out += s), err: () => {}, setExitCode: () => {}, colour: false, progress: () => ({ records() {}, fileDone() {}, stop() {} }),
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const verdict = JSON.parse(out);
    console.log(JSON.stringify({ valid: verdict.valid, ops: verdict.ops, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));`;
  // A file, not -e: worker threads inherit the flags, and --input-type is refused there.
  const runner = join(dir, "stream-runner.mjs");
  writeFileSync(runner, script);
  const out = execFileSync(process.execPath, ["--import", "tsx", runner], { encoding: "utf8", maxBuffer: 1 << 26 });
  const r = JSON.parse(out.trim().split("\n").at(-1)!) as { valid: unknown; ops: number; seconds: number; maxRssMb: number };
  console.log(`${workload.padEnd(12)} ${checkers.padEnd(24)} --memory-limit ${MEMORY_LIMIT_MB} ${r.ops.toLocaleString("en")} records  ${r.seconds.toFixed(1)} s  ${Math.round(r.ops / r.seconds).toLocaleString("en")} records/s  peak RSS ${Math.round(r.maxRssMb)} MB  (${String(r.valid)})`);
}
