/**
 * Linearizability check time on the corpus (parsing excluded): per file and in total, on one
 * worker (inline) and on all cores (every file's parts on the run's worker threads). Also the fast path
 * against the search on a history that makes the search blow up, and 50-client kv histories
 * (bench/generate-kv.ts: valid, and with stale gets) part by part: verdict, steps, time, memory.
 *   npm run bench:lin            (HINDSIGHT_CORPUS=… to point at the corpus)
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { LinearizableOptions } from "../src/checkers/linearizability/plan.ts";
import { checkLinearizable } from "../src/checkers/linearizability/linearizable.ts";
import { linearizableChecker } from "../src/checkers/linearizability/checker.ts";
import { uniqueValueRegister } from "../src/checkers/linearizability/fast-path.ts";
import { search } from "../src/checkers/linearizability/search.ts";
import { registerModel } from "../src/checkers/linearizability/models/register.ts";
import type { History } from "../src/history/history.ts";
import { Pairer } from "../src/history/pair.ts";
import { loadHistory } from "../src/load.ts";
import { runCheckerOn } from "../src/workers/run-checker.ts";
import { ThreadRunner } from "../src/workers/runner.ts";
import { kvHistory } from "./generate-kv.ts";

const CORPUS = process.env.HINDSIGHT_CORPUS ?? join(process.cwd(), "..", "shared", "corpus");
const ROUNDS = 5;

interface Case {
  group: string;
  name: string;
  history: History;
  options: LinearizableOptions;
}

async function cases(): Promise<Case[]> {
  const groups: [string, string, LinearizableOptions][] = [
    ["etcd", "porcupine/etcd", { model: "cas-register", initial: null }],
    ["kv", "porcupine/kv", {}],
    ["knossos", "knossos/cas-register/good", { model: "cas-register", initial: null }],
    ["knossos", "knossos/cas-register/bad", { model: "cas-register", initial: null }],
    ["knossos", "knossos/multi-register/good", { initial: { x: 0, y: 0 } }],
    ["knossos", "knossos/mutex/bad", {}],
  ];
  const out: Case[] = [];
  for (const [group, dir, options] of groups) {
    for (const name of readdirSync(join(CORPUS, dir)).sort()) {
      try {
        out.push({ group, name: `${dir}/${name}`, history: await loadHistory(join(CORPUS, dir, name)), options: { ...options, timeLimitMs: 60_000 } });
      } catch (error) {
        console.log(`skipped ${dir}/${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return out;
}

function time<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

const all = await cases();
console.log(`${all.length} histories; one worker: the best of ${ROUNDS} rounds per file (the first round, cold JIT, shown apart)\n`);
const best = new Map<Case, number>();
const cold = new Map<Case, number>();
const verdicts = new Map<Case, string>();
for (let round = 0; round < ROUNDS; round++) {
  for (const c of all) {
    const [result, ms] = time(() => checkLinearizable(c.history, c.options));
    verdicts.set(c, `${result.valid === true ? "valid" : result.valid === false ? "invalid" : "unknown"} (${result.stats.searchSteps ?? 0} steps)`);
    if (round === 0) cold.set(c, ms);
    best.set(c, Math.min(best.get(c) ?? Infinity, ms));
  }
}
for (const c of all) console.log(`${c.name.padEnd(52)} ${c.history.operations.length.toString().padStart(5)} ops  ${best.get(c)!.toFixed(2).padStart(8)} ms  ${verdicts.get(c)}`);
console.log("");
for (const group of ["etcd", "kv", "knossos"]) {
  const members = all.filter((c) => c.group === group);
  if (members.length === 0) continue;
  const sum = (m: Map<Case, number>): number => members.reduce((s, c) => s + m.get(c)!, 0);
  const unknown = members.filter((c) => verdicts.get(c)!.startsWith("unknown")).length;
  console.log(`${group.padEnd(8)} ${members.length} files, one worker: ${sum(best).toFixed(1)} ms total (cold first round ${sum(cold).toFixed(1)} ms); ${unknown} unknown`);
}

const workers = availableParallelism();
const runner = new ThreadRunner(workers);
const choice = { checker: linearizableChecker, reason: "bench" };
const flagsOf = (o: LinearizableOptions) => ({ model: o.model, initial: o.initial === undefined ? undefined : JSON.stringify(o.initial) });
// The first round pays for the threads' start-up and JIT; the best of the rest is reported.
let poolBest = Infinity;
for (let round = 0; round < ROUNDS; round++) {
  const poolStart = performance.now();
  for (const c of all) await runCheckerOn(runner, choice, c.history, flagsOf(c.options), { timeLimitMs: c.options.timeLimitMs }, 0);
  if (round > 0) poolBest = Math.min(poolBest, performance.now() - poolStart);
}
await runner.close();
console.log(`all ${all.length} files, each file's parts on the caller's thread and ${workers} worker threads: ${poolBest.toFixed(1)} ms wall, best of ${ROUNDS - 1} warm rounds`);

// The search against the fast path, on crashed writes of distinct values then a stale read.
const pairer = new Pairer();
const CRASHED = 26;
for (let p = 0; p < CRASHED; p++) pairer.add({ type: "invoke", f: "write", process: p, value: p + 1 });
for (const [type, f, value] of [["invoke", "write", 1000], ["ok", "write", 1000], ["invoke", "read", undefined], ["ok", "read", 0]] as const) pairer.add({ type, f, process: CRASHED, value });
const ops = pairer.finish();
const [fast, fastMs] = time(() => uniqueValueRegister(ops, 0));
const [searched, searchMs] = time(() => search(registerModel, ops, 0, { memoBytes: 1 << 30, deadline: Date.now() + 10_000 }));
console.log(`\n${CRASHED} crashed writes + a stale read: fast path ${fast?.valid === false ? "invalid" : String(fast?.valid)} in ${fastMs.toFixed(2)} ms; search ${searched.kind}${searched.kind === "budget" ? ` (${searched.reason})` : ""} after ${searchMs.toFixed(0)} ms, ${searched.stats.steps} steps`);

// 50 clients on 10 keys with stalls (Porcupine leaves some keys undecided at 20 s): every part, one by one.
const scratch = mkdtempSync(join(tmpdir(), "hindsight-kv50-"));
try {
  for (const staleEvery of [0, 60]) {
    const file = join(scratch, `c50-${staleEvery}.txt`);
    writeFileSync(file, `${kvHistory({ clients: 50, keys: 10, opsPerClient: 34, seed: 1, staleEvery }).join("\n")}\n`);
    const history = await loadHistory(file);
    const before = process.memoryUsage().rss;
    const [result, ms] = time(() => checkLinearizable(history, { timeLimitMs: 60_000 }));
    const rows = "partResults" in result.evidence ? result.evidence.partResults : [];
    const decided = rows.filter((r) => r.valid !== "unknown").length;
    console.log(`\nkv, 50 clients${staleEvery ? `, every ${staleEvery}th get stale` : ""} (${history.operations.length} ops): ${result.valid}; ${decided} of ${rows.length} parts decided, ${result.stats.searchSteps} steps in ${ms.toFixed(0)} ms, rss ${(before / 2 ** 20).toFixed(0)} → ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
    console.log(`  ${rows.map((r) => `${r.part}: ${r.valid} (${r.steps})`).join("; ")}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
