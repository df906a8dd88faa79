/** Timing whole processes for the benches that compare commands run as users run them. */
import { spawnSync } from "node:child_process";

// NODE_OPTIONS would turn the launcher's start-up snapshot off (scripts/build-snapshot.mjs).
const env = { ...process.env, NODE_OPTIONS: undefined };

/** Wall ms of one run; the command must have run (exit codes 0–2 are verdicts, anything else a failure). */
export function wallMs(command: string, args: string[]): number {
  const start = performance.now();
  const run = spawnSync(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - start;
  if (run.status === null || run.status > 2) throw new Error(`${command} ${args.slice(0, 3).join(" ")} …: exit ${run.status}: ${run.stderr.toString().slice(0, 500)}`);
  return ms;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
