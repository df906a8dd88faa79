import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { listAppendHistory } from "../../bench/generate-list-append.ts";
import { linearizableChecker } from "../../src/checkers/linearizability/checker.ts";
import { checkLinearizable } from "../../src/checkers/linearizability/linearizable.ts";
import { checkTxn } from "../../src/checkers/txn/check.ts";
import { txnChecker } from "../../src/checkers/txn/checker.ts";
import type { RawOp } from "../../src/history/op.ts";
import { analyzeAll } from "../../src/workers/batch.ts";
import { runCheckerOn } from "../../src/workers/run-checker.ts";
import { INLINE, ThreadRunner, type Outcome, type Runner } from "../../src/workers/runner.ts";
import { schedule } from "../../src/workers/schedule.ts";
import { historyOf as txnHistoryOf, ndjson, tempDir } from "../support/helpers.ts";
import { historyOf, random, type Rec } from "../support/lin-histories.ts";

const linearizable = { checker: linearizableChecker, reason: "test" };

/** Keyed put/append/get traffic on `keys` keys by 4 processes, each get returning what a sequential run gives, but for the gets at `corrupt`. */
function kvHistory(ops: number, keys: number, corrupt: readonly number[] = []): Rec[] {
  const next = random(11);
  const values = new Map<number, string>();
  const records: Rec[] = [];
  for (let i = 0; i < ops; i++) {
    const key = Math.floor(next() * keys);
    const process = i % 4;
    const kind = Math.floor(next() * 3);
    if (kind === 2) {
      const seen = corrupt.includes(i) ? "corrupt" : (values.get(key) ?? "");
      records.push([process, "invoke", "get", undefined, key], [process, "ok", "get", seen, key]);
    } else {
      const v = `${i};`;
      values.set(key, kind === 0 ? v : (values.get(key) ?? "") + v);
      records.push([process, "invoke", kind === 0 ? "put" : "append", v, key], [process, "ok", kind === 0 ? "put" : "append", v, key]);
    }
  }
  return records;
}

/** Indices of gets in kvHistory(ops, keys), to corrupt. */
function getsOf(records: Rec[]): number[] {
  return records.flatMap((r, i) => (i % 2 === 0 && r[2] === "get" ? [i / 2] : []));
}

test("every part on worker threads (a memory ceiling keeps them off the caller's thread) gives the inline result, valid and invalid", async (t) => {
  const runner = new ThreadRunner(2, 512);
  t.after(() => runner.close());
  const good = historyOf(kvHistory(400, 8));
  const inline = checkLinearizable(good, {});
  assert.equal(inline.valid, true);
  assert.deepEqual(await runCheckerOn(runner, linearizable, good, {}, {}, 0), inline);

  // Two corrupted gets on different keys: whichever worker finds its violation first, the evidence is the first part's, as inline.
  const gets = getsOf(kvHistory(400, 8));
  const bad = historyOf(kvHistory(400, 8, [gets[5]!, gets[gets.length - 3]!]));
  const badInline = checkLinearizable(bad, {});
  assert.equal(badInline.valid, false);
  for (let round = 0; round < 3; round++) assert.deepEqual(await runCheckerOn(runner, linearizable, bad, {}, {}, 0), badInline);
});

test("txn cycle searches on worker threads give the inline result", async (t) => {
  const runner = new ThreadRunner(2, 512);
  t.after(() => runner.close());
  const history = txnHistoryOf([...listAppendHistory(3000, { anomalyEvery: 40 })]);
  const inline = checkTxn(history, {});
  assert.ok(inline.stats.components > 10, `expected many cyclic components, got ${inline.stats.components}`);
  const threaded = await runCheckerOn(runner, { checker: txnChecker, reason: "test" }, history, {}, {}, 0);
  assert.equal(threaded.valid, false);
  assert.deepEqual(threaded, inline);
});

test("a part whose worker runs past --memory-limit is unknown, saying so; the other parts are still checked", async (t) => {
  // 48 MB, not 16: under a loaded machine a worker was seen to die under 16 MB while starting, losing the small part too.
  const runner = new ThreadRunner(1, 48);
  t.after(() => runner.close());
  const records: Rec[] = [];
  for (let i = 0; i < 600_000; i++) records.push([0, "invoke", "put", `${i}`, "big"], [0, "ok", "put", `${i}`, "big"]);
  records.push([1, "invoke", "put", "x", "small"], [1, "ok", "put", "x", "small"], [1, "invoke", "get", undefined, "small"], [1, "ok", "get", "y", "small"]);
  const result = await runCheckerOn(runner, linearizable, historyOf(records), {}, {}, 0);
  // The small part's violation is found after the big part's worker died: the verdict is invalid, and it names the lost part.
  assert.equal(result.valid, false);
  assert.match(JSON.stringify(result.evidence), /its worker needed more than the --memory-limit of 48 MB/);
  const onlyBig = await runCheckerOn(runner, linearizable, historyOf(records.slice(0, -4).concat(records.slice(-4, -2))), {}, {}, 0);
  assert.equal(onlyBig.valid, "unknown");
  assert.match(onlyBig.summary, /key "big": its worker needed more than the --memory-limit of 48 MB/);
});

/** A runner whose task i finishes after (n - i) ticks: later tasks first. */
function reversingRunner(size: number, n: number, started: number[]): Runner {
  return {
    size,
    warm: () => Promise.resolve(),
    async run(_lane, task): Promise<Outcome<unknown>> {
      const i = task.kind === "part" && typeof task.part === "number" ? task.part : -1;
      started.push(i);
      for (let tick = 0; tick < n - i; tick++) await new Promise((resolve) => setImmediate(resolve));
      return { ok: true, value: i };
    },
    close: () => Promise.resolve(),
  };
}

test("schedule returns results in item order, up to the first decisive one, however lanes finish", async () => {
  const items = Array.from({ length: 12 }, (_, i) => i);
  const started: number[] = [];
  const runner = reversingRunner(3, items.length, started);
  const remote = async (lane: number, i: number): Promise<number> => {
    const outcome = await runner.run(lane, { kind: "part", checker: "x", part: i });
    return outcome.ok && typeof outcome.value === "number" ? outcome.value : -1;
  };
  assert.deepEqual(await schedule(runner, { items, remote, workersAfterCpuMs: 0 }), items);
  assert.deepEqual(await schedule(runner, { items, remote, workersAfterCpuMs: 0, decisive: (r) => r === 4 || r === 7 }), [0, 1, 2, 3, 4]);
  assert.ok(!started.slice(12).some((i) => i > 6), "items past the decisive one and the lanes' look-ahead are not started");
  // With the caller's thread as a lane and no workers, everything runs inline, in order.
  const inlineOrder: number[] = [];
  const results = await schedule(runner, { items, inline: (i) => (inlineOrder.push(i), i), remote, workersAfterCpuMs: Infinity });
  assert.deepEqual(results, items);
  assert.deepEqual(inlineOrder, items);
});

test("a batch gives byte-identical verdict.json inline and on 1, 2 or 4 workers (a memory ceiling keeps every file on them)", async () => {
  const dir = tempDir();
  const gets = getsOf(kvHistory(300, 6));
  const lin = (rec: Rec[]): object[] => rec.map(([process, type, f, value, key]) => ({ process, type, f, ...(value === undefined ? {} : { value }), key }));
  const files: [string, object[]][] = [
    ["kv-good.ndjson", lin(kvHistory(300, 6))],
    ["kv-bad.ndjson", lin(kvHistory(300, 6, [gets[3]!, gets[gets.length - 2]!]))],
    ["txn.ndjson", [...listAppendHistory(400, { anomalyEvery: 30 })] satisfies RawOp[]],
    ["kv-bad-2.ndjson", lin(kvHistory(200, 3, [gets[1]!]))],
  ];
  const tasks = files.map(([name, records]) => {
    writeFileSync(join(dir, name), ndjson(records));
    return { file: join(dir, name), options: { checkers: ["auto"] }, output: { dir: "", formats: ["json" as const] } };
  });
  const verdicts = async (runner: Runner, label: string): Promise<string[]> => {
    const out = tasks.map((task, i) => ({ ...task, output: { ...task.output, dir: join(dir, label, String(i)) } }));
    for await (const result of analyzeAll(out, runner)) assert.ok(result.ok, result.ok ? "" : result.message);
    await runner.close();
    return out.map((task) => readFileSync(join(task.output.dir, "verdict.json"), "utf8"));
  };
  const inline = await verdicts(INLINE, "inline");
  assert.ok(inline.some((v) => JSON.parse(v).valid === false) && inline.some((v) => JSON.parse(v).valid === true));
  for (const workers of [1, 2, 4]) assert.deepEqual(await verdicts(new ThreadRunner(workers, 512), `w${workers}`), inline, `${workers} workers`);
});
