import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Operation } from "../../src/history/op.ts";
import { shareWrittenTwice, ROWS, type RowWrite } from "../../src/simulate/workloads/lww-rows.ts";
import { simulated, type SimulatedRun } from "../support/simulate-helpers.ts";

const expectation = (run: SimulatedRun, checker: string) => run.truth.expect.find((e) => e.checker === checker);

/** Acknowledged adds missing from the final read, computed from the history alone. */
function lostAdds(run: SimulatedRun): number[] {
  const finalRead = run.operations.filter((o) => o.f === "read" && o.outcome === "ok").at(-1)!;
  const survivors = new Set(finalRead.output as number[]);
  return run.operations.filter((o) => o.f === "add" && o.outcome === "ok" && !survivors.has(o.input as number)).map((o) => o.input as number);
}

/** The partition window (record indices) and the minority's node names, from the nemesis ops. */
function partitionWindow(run: SimulatedRun): { start: number; stop: number; minority: string[] } {
  const [start, stop] = run.truth.nemesis.actions;
  const minority = /^cut (.*?) \//.exec(start!.value as string)![1]!.split(" ");
  return { start: start!.index, stop: stop!.index, minority };
}

describe("simulate: majority (CP)", () => {
  it("is linearizable under a partition, and the minority side's writes fail", async () => {
    const run = await simulated({ behaviour: "majority", workload: "register", nemesis: "partition", ops: 3000, seed: 17 });
    assert.equal(expectation(run, "linearizability")?.valid, true);
    assert.equal(run.truth.facts.provablyStaleReads, 0);
    const { start, stop, minority } = partitionWindow(run);
    assert.equal(minority.length, 2);
    const inside = (o: Operation): boolean => o.call > start && o.completeIndex !== undefined && o.completeIndex < stop;
    const onMinority = (o: Operation): boolean => minority.includes(o.invoke.node as string);
    const minorityWrites = run.operations.filter((o) => o.f === "write" && inside(o) && onMinority(o));
    assert.ok(minorityWrites.some((o) => o.outcome === "fail"), "some minority writes fail");
    assert.deepEqual(minorityWrites.filter((o) => o.outcome === "ok"), [], "no minority write succeeds");
    assert.ok(run.operations.some((o) => o.f === "write" && inside(o) && !onMinority(o) && o.outcome === "ok"), "the majority side goes on");
  });

  it("never loses acknowledged data, whatever the seed, workload and nemesis (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.constantFrom("register", "cas-register", "set", "set-reads", "counter", "lww-rows"),
        fc.constantFrom("partition", "bridge", "isolate", "pause", "crash", "clock", "mixed"),
        async (seed, workload, nemesis) => {
          const run = await simulated({ behaviour: "majority", workload, nemesis, faults: 2, ops: 500, seed });
          for (const e of run.truth.expect) assert.equal(e.valid, true, `${e.checker}: ${e.because}`);
          if (workload.startsWith("set")) assert.deepEqual(lostAdds(run), []);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("simulate: async-failover and isr under partitions", () => {
  for (const behaviour of ["async-failover", "isr"]) {
    for (const nemesis of ["partition", "isolate"]) {
      it(`${behaviour} + ${nemesis} loses acknowledged writes`, async () => {
        const run = await simulated({ behaviour, workload: "set", nemesis, ops: 2000, seed: 17 });
        const lost = lostAdds(run);
        assert.ok(lost.length > 0, "acknowledged adds are missing from the final read");
        assert.equal(run.truth.facts.lost, lost.length);
        assert.equal(expectation(run, "set")?.valid, false);
        assert.ok(run.truth.violations.length > 0);
      });
    }
  }

  it("isr loses writes through an unclean election; async-failover needs none", async () => {
    const kafka = await simulated({ behaviour: "isr", workload: "register", nemesis: "isolate", ops: 2000, seed: 17 });
    const redis = await simulated({ behaviour: "async-failover", workload: "register", nemesis: "isolate", ops: 2000, seed: 17 });
    assert.equal(kafka.truth.facts.uncleanElections, 1);
    assert.equal(redis.truth.facts.uncleanElections, 0);
    assert.equal(expectation(kafka, "linearizability")?.valid, false);
    assert.equal(expectation(redis, "linearizability")?.valid, false);
  });

  it("without faults they lose nothing", async () => {
    for (const behaviour of ["async-failover", "isr"]) {
      const run = await simulated({ behaviour, workload: "set", nemesis: "none", ops: 1000, seed: 4 });
      assert.deepEqual(lostAdds(run), []);
      assert.equal(expectation(run, "set")?.valid, true);
    }
  });
});

describe("simulate: lww", () => {
  /** Final reads: one per row, after everything converged. */
  function finalRows(run: SimulatedRun): { row: number; cells: { a: number; b: number } | null }[] {
    return run.operations.slice(-ROWS).map((o) => o.output as { row: number; cells: { a: number; b: number } | null });
  }

  it("corrupts rows written with equal timestamps at the rate the model predicts", async () => {
    const run = await simulated({ behaviour: "lww", workload: "lww-rows", nemesis: "none", ops: 700, seed: 9, tsResolution: 1e12 });
    const writes = run.operations.filter((o) => o.f === "write");
    assert.ok(writes.every((o) => (o.input as RowWrite).ts === 0), "every timestamp equal");
    const perRow = new Map<number, number>();
    for (const o of writes) perRow.set((o.input as RowWrite).row, (perRow.get((o.input as RowWrite).row) ?? 0) + 1);
    const corrupt = finalRows(run).filter((r) => r.cells !== null && r.cells.a !== -r.cells.b);
    // with equal timestamps a row is corrupt exactly when two or more writes reached it …
    assert.equal(corrupt.length, [...perRow.values()].filter((n) => n >= 2).length);
    // … and the share of such rows follows the binomial model, within 3 standard deviations
    const p = shareWrittenTwice(writes.length, ROWS);
    const sd = Math.sqrt(ROWS * p * (1 - p));
    assert.ok(Math.abs(corrupt.length - ROWS * p) < 3 * sd, `${corrupt.length} corrupt rows, model ${(ROWS * p).toFixed(1)} ± ${sd.toFixed(1)}`);
    assert.equal(expectation(run, "lww")?.valid, false);
  });

  it("keeps rows whole with µs timestamps when writes do not collide", async () => {
    const run = await simulated({ behaviour: "lww", workload: "lww-rows", nemesis: "none", ops: 700, seed: 9 });
    assert.deepEqual(finalRows(run).filter((r) => r.cells !== null && r.cells.a !== -r.cells.b), []);
    assert.equal(run.truth.facts.corruptReads, 0);
  });

  it("double-applies retried counter increments under a partition", async () => {
    const run = await simulated({ behaviour: "lww", workload: "counter", nemesis: "partition", ops: 2000, seed: 17 });
    assert.ok((run.truth.facts.retriedWrites as number) > 0);
    const acknowledged = run.operations.filter((o) => o.f === "add" && o.outcome !== "fail").reduce((sum, o) => sum + (o.input as number), 0);
    const finalRead = run.operations.at(-1)!;
    assert.equal(finalRead.f, "read");
    assert.ok((finalRead.output as number) > acknowledged, `final ${String(finalRead.output)} exceeds every add ever attempted (${acknowledged})`);
    assert.equal(expectation(run, "counter")?.valid, false);
  });
});

describe("simulate: transactional stores", () => {
  /** Transactions that read one key twice, without writing it in between, and saw two values. */
  function nonRepeatableReads(run: SimulatedRun): number {
    let count = 0;
    for (const o of run.operations) {
      if (o.outcome !== "ok") continue;
      const seen = new Map<number, string>();
      const written = new Set<number>();
      for (const [f, key, value] of o.output as [string, number, unknown][]) {
        if (f !== "r") written.add(key);
        else if (!written.has(key)) {
          const text = JSON.stringify(value);
          if (seen.has(key) && seen.get(key) !== text) count++;
          seen.set(key, text);
        }
      }
    }
    return count;
  }

  it("only read committed lets a transaction see a key change under it; serializable never aborts", async () => {
    for (const workload of ["rw-register", "list-append"]) {
      const runs = Object.fromEntries(
        await Promise.all(["serializable-txn", "snapshot-txn", "read-committed-txn"].map(async (behaviour) => [behaviour, await simulated({ behaviour, workload, nemesis: "none", ops: 4000, seed: 1 })] as const)),
      );
      assert.equal(nonRepeatableReads(runs["serializable-txn"]!), 0, workload);
      assert.equal(nonRepeatableReads(runs["snapshot-txn"]!), 0, workload);
      assert.ok(nonRepeatableReads(runs["read-committed-txn"]!) > 0, workload);
      assert.ok((runs["snapshot-txn"]!.truth.facts.abortedOnConflict as number) > 0, workload);
      assert.equal(runs["serializable-txn"]!.operations.filter((o) => o.outcome === "fail").length, 0, workload);
    }
  });
});
