import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { BANK_ERROR_TYPES, bankAppliesBecause, checkBank, type BankErrorType } from "../../../src/checkers/bank/bank.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { makeHistory, op } from "../../support/make-history.ts";
import { assertStreamsAsHeld } from "../../support/streaming.ts";
import { bankChecker } from "../../../src/checkers/bank/checker.ts";
import { assertStopsAtDeadline, pastDeadline } from "../../support/deadline.ts";

const read = (process: number, balances: Record<string, number | null>, node?: string): RawOp[] =>
  op(process, "read", null, "ok", balances).map((r) => (node === undefined ? r : { ...r, node }));
const transfer = (process: number, from: number, to: number, amount: number, type: "ok" | "fail" | "info" = "ok"): RawOp[] => op(process, "transfer", { from, to, amount }, type);

test("an empty history is unknown: no read to judge (Jepsen calls it valid)", () => {
  const result = checkBank(makeHistory([]));
  assert.equal(result.valid, "unknown");
  assert.equal(result.stats.accountsFrom, "none");
  assert.equal(result.stats.reads, 0);
});

test("accounts and total from the first ok read, as elle-cli does; every later read judged against them", () => {
  const records = [
    ...op(0, "read", null, "fail"),
    ...read(0, { 0: 10, 1: 10 }),
    ...transfer(1, 0, 1, 3),
    ...read(0, { 0: 7, 1: 13 }),
    ...read(0, { 0: 7, 1: 12 }), // wrong total 19
    ...read(0, { 0: 8, 1: 14 }), // wrong total 22
    ...read(0, { 0: 20, 1: -1 }), // wrong total 19 (tested before negative)
    ...read(0, { 0: 21, 1: -1 }), // negative
    ...read(0, { 0: 20, 1: null }), // nil
    ...read(0, { 0: 20, 2: 0, 1: null }), // unexpected key first
  ];
  const result = checkBank(makeHistory(records));
  assert.equal(result.valid, false);
  assert.equal(result.stats.accountsFrom, "first-read");
  assert.equal(result.stats.totalFrom, "first-read");
  assert.deepEqual(result.stats.accounts, ["0", "1"]);
  assert.equal(result.stats.totalAmount, 20);
  assert.equal(result.stats.reads, 8);
  assert.equal(result.stats.transfers, 1);
  const { errors } = result.evidence;
  assert.deepEqual(
    Object.fromEntries(Object.entries(errors).map(([type, e]) => [type, e.count])),
    { "unexpected-key": 1, "nil-balance": 1, "wrong-total": 3, "negative-value": 1 },
  );
  const wrong = errors["wrong-total"]!;
  assert.deepEqual([wrong.first.readId, wrong.last.readId, wrong.lowest!.readId, wrong.highest!.readId, wrong.worst.readId], [4, 6, 4, 5, 5]);
  assert.equal(wrong.worst.badness, 0.1);
  assert.deepEqual(errors["negative-value"]!.first.negative, [-1]);
  assert.deepEqual(errors["nil-balance"]!.first.accounts, ["1"]);
  assert.deepEqual(errors["unexpected-key"]!.first.accounts, ["2"]);
  assert.equal(result.evidence.firstError!.readId, 4);
  assert.deepEqual([result.stats.lowestTotal, result.stats.highestTotal], [19, 22]);
  assert.deepEqual(result.focus, [4, 5, 6, 7, 8, 9]);
  assert.match(result.summary, /^6 of 8 reads wrong \(1 unexpected-key, 1 nil-balance, 3 wrong-total, 1 negative-value\); first: read 4 totalling 19, not 20 \(Jepsen's bank checker; accounts and total from the first ok read, as elle-cli does\)\.$/);
});

test("options give the accounts and total; negative balances may be allowed", () => {
  const records = [...read(0, { a: 5, b: -1 }), ...read(0, { a: 2, b: 2 })];
  const strict = checkBank(makeHistory(records), { accounts: ["a", "b"], totalAmount: 4 });
  assert.equal(strict.valid, false);
  assert.deepEqual(Object.keys(strict.evidence.errors), ["negative-value"]);
  assert.equal(strict.stats.accountsFrom, "option");
  assert.match(strict.summary, /accounts and total from the options/);
  const allowed = checkBank(makeHistory(records), { accounts: ["a", "b"], totalAmount: 4, negativeBalances: true });
  assert.equal(allowed.valid, true);
  const mixed = checkBank(makeHistory(records), { totalAmount: 5 });
  assert.equal(mixed.stats.accountsFrom, "first-read");
  assert.equal(mixed.stats.totalFrom, "option");
  assert.deepEqual(Object.keys(mixed.evidence.errors), ["wrong-total"]);
});

test("reads that are not balance maps are not judged: never valid then", () => {
  const result = checkBank(makeHistory([...read(0, { 0: 1 }), ...op(0, "read", null, "ok", [1, 2])]));
  assert.equal(result.valid, "unknown");
  assert.deepEqual(result.evidence.unjudgedIds, [1]);
});

test("each read's total over time, with the node that served it", () => {
  const result = checkBank(makeHistory([...read(0, { 0: 1 }, "n1"), ...read(1, { 0: 2 }, "n2")]));
  assert.deepEqual(result.evidence.totals.map((p) => [p.readId, p.node, p.total, p.error]), [
    [0, "n1", 1, undefined],
    [1, "n2", 2, "wrong-total"],
  ]);
  assert.ok(result.evidence.totals.every((p) => p.time !== undefined));
});

test("--checker auto: reads of balance maps, with or without transfers; nothing else", () => {
  assert.match(bankAppliesBecause(makeHistory([...read(0, { 0: 1 }), ...transfer(1, 0, 1, 1)]))!, /transfers/);
  assert.match(bankAppliesBecause(makeHistory(read(0, { 0: 1 })))!, /account → balance maps/);
  assert.equal(bankAppliesBecause(makeHistory([...read(0, { 0: 1 }), ...op(0, "add", 1)])), undefined);
  assert.equal(bankAppliesBecause(makeHistory(op(0, "read", null, "ok", 3))), undefined);
  assert.equal(bankAppliesBecause(makeHistory(transfer(0, 0, 1, 1))), undefined);
});

/** Jepsen's check-op, read literally: the first clause of the cond that holds. */
function oracle(balances: Record<string, number | null>, accounts: Set<string>, total: number, negativeAllowed: boolean): BankErrorType | undefined {
  const keys = Object.keys(balances);
  const values = Object.values(balances);
  if (!keys.every((k) => accounts.has(k))) return "unexpected-key";
  if (values.some((v) => v === null)) return "nil-balance";
  if (values.reduce<number>((s, v) => s + v!, 0) !== total) return "wrong-total";
  if (!negativeAllowed && values.some((v) => v! < 0)) return "negative-value";
  return undefined;
}

test("property: every read gets the error Jepsen's check-op gives it, counted, first and last", () => {
  const balance = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -2, max: 6 }) }, { weight: 1, arbitrary: fc.constant(null) });
  const readValue = fc.dictionary(fc.constantFrom("0", "1", "2", "3"), balance, { minKeys: 1 });
  fc.assert(
    fc.property(fc.array(readValue, { maxLength: 12 }), fc.boolean(), fc.option(fc.integer({ min: 0, max: 12 })), (reads, negativeAllowed, total) => {
      const records = reads.flatMap((r, i) => read(i % 3, r));
      const options = total === null ? { negativeBalances: negativeAllowed } : { negativeBalances: negativeAllowed, totalAmount: total, accounts: ["0", "1", "2"] };
      const result = checkBank(makeHistory(records), options);
      if (reads.length === 0) return assert.equal(result.valid, "unknown");
      const accounts = new Set(total === null ? Object.keys(reads[0]!) : ["0", "1", "2"]);
      const expectedTotal = total ?? Object.values(reads[0]!).reduce<number>((s, v) => s + (v ?? 0), 0);
      const types = reads.map((r) => oracle(r, accounts, expectedTotal, negativeAllowed));
      for (const type of BANK_ERROR_TYPES) {
        const ids = types.flatMap((t, i) => (t === type ? [i] : []));
        const summary = result.evidence.errors[type];
        assert.equal(summary?.count ?? 0, ids.length, type);
        if (summary) assert.deepEqual([summary.first.readId, summary.last.readId], [ids[0], ids.at(-1)]);
      }
      assert.equal(result.valid, types.every((t) => t === undefined) ? true : false);
    }),
  );
});

test("streams: a simulated bank history folded operation by operation gives the held verdict", async () => {
  await assertStreamsAsHeld({ behaviour: "lww", workload: "bank", ops: 1500, seed: 5 }, ["bank"]);
});

test("bank: stops at the --time-limit deadline, read every 4096 operations: unknown, with the reason", () => {
  const history = makeHistory(Array.from({ length: 5000 }, (_, i) => read(i % 4, { a: 50, b: 50 })).flat());
  assertStopsAtDeadline(bankChecker, history, pastDeadline(), "the --time-limit of 0.2 s was reached while judging the bank's reads, after 4096 operations");
});
