import assert from "node:assert/strict";
import { test } from "node:test";
import { bankOptions } from "../../../src/checkers/bank/checker.ts";
import { longForkOptions } from "../../../src/checkers/long-fork/checker.ts";
import { UsageError } from "../../../src/history/errors.ts";

test("bank's flags: --accounts, --total-amount, --negative-balances, validated", () => {
  assert.deepEqual(bankOptions({}), {});
  assert.deepEqual(bankOptions({ accounts: "0, 1,2", totalAmount: "100", negativeBalances: "true" }), { accounts: ["0", "1", "2"], totalAmount: 100, negativeBalances: true });
  assert.deepEqual(bankOptions({ negativeBalances: "false" }), { negativeBalances: false });
  for (const flags of [{ accounts: "0,,1" }, { totalAmount: "lots" }, { totalAmount: " " }, { negativeBalances: "yes" }]) assert.throws(() => bankOptions(flags), UsageError, JSON.stringify(flags));
});

test("long-fork's --group-size is a positive integer", () => {
  assert.deepEqual(longForkOptions({}), {});
  assert.deepEqual(longForkOptions({ groupSize: "3" }), { groupSize: 3 });
  for (const groupSize of ["0", "2.5", "x"]) assert.throws(() => longForkOptions({ groupSize }), UsageError, groupSize);
});
