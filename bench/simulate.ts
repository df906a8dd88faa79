/**
 * Simulator throughput: `npm run bench:simulate [-- OPS [FILE]]` simulates the default run
 * (majority, register, one partition) with OPS records (default 10,000,000) into FILE (default
 * a temporary file) and prints records/s, CPU seconds and peak RSS.
 */
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simulateToFile } from "../src/simulate/run.ts";
import { DEFAULT_OPTIONS } from "../src/simulate/simulator.ts";

const ops = Number(process.argv[2] ?? 10_000_000);
const file = process.argv[3] ?? join(tmpdir(), `hindsight-bench-simulate-${process.pid}.ndjson`);
const started = performance.now();
const cpuStarted = process.cpuUsage();
const truth = await simulateToFile({ ...DEFAULT_OPTIONS, ops }, file);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(
  JSON.stringify({
    records: truth.records,
    seconds: Number(seconds.toFixed(2)),
    recordsPerSecond: Math.round(truth.records / seconds),
    cpuSeconds: Number(cpuSeconds.toFixed(2)),
    recordsPerCpuSecond: Math.round(truth.records / cpuSeconds),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
if (process.argv[3] === undefined) await rm(file);
await rm(file.replace(/\.ndjson$/, ".truth.json"), { force: true });
