import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { sqlState, txnFailure, txnGenerator, TXN_SHAPE, type MicroOp } from "../../../src/collect/postgres/txn.ts";
import { isolationStatement, schema } from "../../../src/collect/postgres/workloads.ts";
import { Random } from "../../../src/simulate/random.ts";

describe("postgres transactions", () => {
  it("for any seed: 1-4 micro-ops, written values 1, 2, 3, … per key, a key retired after its last write, few keys live at once", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.constantFrom("list-append" as const, "rw-register" as const), (seed, workload) => {
        const next = txnGenerator(workload);
        const random = new Random(seed);
        const lastWrite = new Map<number, number>();
        const txns: MicroOp[][] = Array.from({ length: 300 }, () => next(random));
        for (const txn of txns) {
          assert.ok(txn.length >= 1 && txn.length <= TXN_SHAPE.maxOps);
          for (const [f, k, v] of txn) {
            if (f === "r") {
              assert.equal(v, null);
              continue;
            }
            assert.equal(f, workload === "list-append" ? "append" : "w");
            assert.equal(v, (lastWrite.get(k) ?? 0) + 1, "unique, in order");
            assert.ok((v as number) <= TXN_SHAPE.writesPerKey);
            lastWrite.set(k, v as number);
          }
        }
        const keys = txns.flat().map(([, k]) => k);
        // a window of 20 txns never spans more than the live keys plus the ones that replaced retired ones
        assert.ok(new Set(keys.slice(0, 20)).size <= TXN_SHAPE.activeKeys + 20 * TXN_SHAPE.maxOps / TXN_SHAPE.writesPerKey);
        assert.ok(Math.max(...keys) >= TXN_SHAPE.activeKeys, "keys were retired and replaced over 300 txns");
      }),
      { numRuns: 50 },
    );
  });

  it("a server error means the transaction was rolled back (fail); anything else may have committed (info)", () => {
    const value = [["w", 1, 1]];
    const serialization = Object.assign(new Error("could not serialize access due to concurrent update"), { code: "40001" });
    assert.deepEqual(txnFailure(value, serialization), { type: "fail", value, error: "40001 could not serialize access due to concurrent update" });
    const lock = Object.assign(new Error("canceling statement due to lock timeout"), { code: "55P03" });
    assert.deepEqual(txnFailure(value, lock), { type: "fail", value, error: "canceling statement due to lock timeout" });
    assert.equal(txnFailure(value, new Error("Query read timeout")).type, "info");
    assert.equal(txnFailure(value, Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })).type, "info");
    assert.equal(txnFailure(value, Object.assign(new Error("write EPIPE"), { code: "EPIPE" })).type, "info", "EPIPE is five characters but no SQLSTATE");
    assert.equal(sqlState({ code: "40P01" }), "40P01");
    assert.equal(sqlState(null), undefined);
  });

  it("sets the isolation level per session, and has a table per workload", () => {
    assert.equal(isolationStatement("repeatable-read"), "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    assert.equal(isolationStatement("read-committed"), "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED");
    assert.match(schema("list-append")[0]!, /^CREATE TABLE lists \(k int PRIMARY KEY, v int\[\]/);
    assert.match(schema("set")[0]!, /^CREATE TABLE elements/);
  });
});
