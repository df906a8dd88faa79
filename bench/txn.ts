/**
 * npm run bench:txn: the txn checker on generated list-append histories of 100k and 1M
 * transactions, clean and with injected anomalies. Each case runs in a fresh process so that
 * its peak RSS (process.resourceUsage().maxRSS) is its own; throughput counts the checker alone
 * (the history is built in memory first, as load.ts would leave it). Children run with a
 * 64 MB young generation (--max-semi-space-size), which cuts scavenges of the short-lived
 * per-transaction objects, and collect the heap before timing (--expose-gc).
 *
 * Then what a user waits for: the built CLI (`hindsight analyze FILE --checker txn --report
 * none`, default options) on an NDJSON file of BENCH_CLI_TXNS (default 1M) transactions,
 * whole process under /usr/bin/time: wall, CPU and peak RSS.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { History } from "../src/history/history.ts";
import { Pairer } from "../src/history/pair.ts";
import { checkTxn } from "../src/checkers/txn/check.ts";
import { listAppendHistory, writeListAppendNdjson } from "./generate-list-append.ts";

const ANOMALY_EVERY = 10_000;

function runCase(txns: number, anomalyEvery: number): void {
  const pairer = new Pairer();
  let records = 0;
  for (const op of listAppendHistory(txns, { anomalyEvery })) {
    pairer.add(op);
    records++;
  }
  const history: History = { file: "generated", format: "ndjson", recordCount: records, operations: pairer.finish(), skipped: [], skippedCount: 0, warnings: [], annotations: {} };
  // Start from a collected heap: the generator's garbage is not the checker's cost.
  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = checkTxn(history, {});
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({ txns, anomalyEvery, seconds: +seconds.toFixed(2), txnPerSecond: Math.round(txns / seconds), cpuSeconds: +cpuSeconds.toFixed(2), peakRssMb: Math.round(rssMb), valid: result.valid, anomalies: result.evidence.anomalyCounts, edges: result.stats.edges, components: result.stats.components }),
  );
}

const CLI = new URL("../dist/bin/hindsight.js", import.meta.url).pathname;
const TIME = "/usr/bin/time";

/** The whole CLI on a generated file, in a fresh process: wall and CPU seconds, peak RSS, exit code (1: invalid). */
function runCli(file: string): { seconds: number; cpuSeconds: number; peakRssMb: number; status: number | null } {
  const child = spawnSync(TIME, ["-f", "%e %U %S %M", process.execPath, CLI, "analyze", file, "--checker", "txn", "--report", "none", "--quiet"], { encoding: "utf8" });
  const measured = /(\S+) (\S+) (\S+) (\d+)\s*$/.exec(child.stderr);
  if (!measured || child.status === null || child.status > 2) throw new Error(`the CLI failed (exit ${child.status}): ${child.stderr.slice(-500)}`);
  const [, wall, user, sys, kb] = measured.map(Number);
  return { seconds: wall!, cpuSeconds: +(user! + sys!).toFixed(2), peakRssMb: Math.round(kb! / 1024), status: child.status };
}

function cliCases(txns: number): void {
  if (!existsSync(CLI) || !existsSync(TIME)) {
    console.log(`\nthrough the CLI: skipped (needs ${CLI}, built by npm run build, and ${TIME})`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "hindsight-bench-txn-"));
  try {
    console.log(`\nthrough the CLI: hindsight analyze FILE --checker txn --report none (whole process, fresh each run)`);
    console.log("txns       anomalies   file MB   wall s    txn/s      cpu s   peak RSS   exit");
    for (const every of [0, ANOMALY_EVERY]) {
      const file = join(dir, `list-append-${txns}-${every}.ndjson`);
      const bytes = writeListAppendNdjson(file, txns, { anomalyEvery: every });
      const r = runCli(file);
      const kind = every === 0 ? "clean" : `1 in ${every}`;
      console.log(`${String(txns).padEnd(10)} ${kind.padEnd(11)} ${String(Math.round(bytes / 2 ** 20)).padEnd(9)} ${String(r.seconds).padEnd(9)} ${String(Math.round(txns / r.seconds)).padEnd(10)} ${String(r.cpuSeconds).padEnd(7)} ${`${r.peakRssMb} MB`.padEnd(10)} ${r.status}`);
      rmSync(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [txnsArg, everyArg] = process.argv.slice(2);
if (txnsArg !== undefined) {
  runCase(Number(txnsArg), Number(everyArg ?? 0));
} else {
  const sizes = (process.env.BENCH_TXNS ?? "100000,1000000").split(",").map(Number);
  console.log("txn checker, generated list-append histories (10 processes, 8 active keys, 16 appends per key)");
  console.log("(wall time on a shared machine is noisy; CPU time counts this process's threads, GC included)");
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
  console.log("txns       anomalies   wall s    txn/s      cpu s   txn/cpu-s  peak RSS   verdict");
  for (const txns of sizes) {
    for (const every of [0, ANOMALY_EVERY]) {
      const child = spawnSync(process.execPath, ["--max-old-space-size=4096", "--max-semi-space-size=64", "--expose-gc", "--import", "tsx", new URL(import.meta.url).pathname, String(txns), String(every)], { encoding: "utf8" });
      if (child.status !== 0) throw new Error(`case ${txns}/${every} failed: ${child.stderr}`);
      const r = JSON.parse(child.stdout.trim().split("\n").at(-1)!);
      const kind = every === 0 ? "clean" : `1 in ${every}`;
      console.log(`${String(txns).padEnd(10)} ${kind.padEnd(11)} ${String(r.seconds).padEnd(9)} ${String(r.txnPerSecond).padEnd(10)} ${String(r.cpuSeconds).padEnd(7)} ${String(Math.round(txns / r.cpuSeconds)).padEnd(10)} ${`${r.peakRssMb} MB`.padEnd(10)} ${r.valid} ${JSON.stringify(r.anomalies)}`);
    }
  }
  cliCases(Number(process.env.BENCH_CLI_TXNS ?? 1_000_000));
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} after the runs`);
  console.log("floors: checker >= 100,000 txn/s on 1M transactions; through the CLI >= 200,000 txn/s (wall) for 1M, peak RSS < 1 GB");
}
