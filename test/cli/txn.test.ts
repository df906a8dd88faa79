import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ndjson, runCli, writeTemp } from "../support/helpers.ts";

/** Write skew: two txns read x and y from the same snapshot and each appends to one of them. */
const skew = ndjson([
  { type: "invoke", f: "txn", process: 0, value: [["append", "x", 1], ["append", "y", 1]] },
  { type: "ok", f: "txn", process: 0, value: [["append", "x", 1], ["append", "y", 1]] },
  { type: "invoke", f: "txn", process: 1, value: [["r", "x", null], ["r", "y", null], ["append", "x", 2]] },
  { type: "invoke", f: "txn", process: 2, value: [["r", "x", null], ["r", "y", null], ["append", "y", 2]] },
  { type: "ok", f: "txn", process: 1, value: [["r", "x", [1]], ["r", "y", [1]], ["append", "x", 2]] },
  { type: "ok", f: "txn", process: 2, value: [["r", "x", [1]], ["r", "y", [1]], ["append", "y", 2]] },
  { type: "invoke", f: "txn", process: 3, value: [["r", "x", null], ["r", "y", null]] },
  { type: "ok", f: "txn", process: 3, value: [["r", "x", [1, 2]], ["r", "y", [1, 2]]] },
]);

describe("analyze --checker txn", () => {
  it("--json carries anomalyTypes and violatedModels; --consistency-model decides the exit code", async () => {
    const file = writeTemp("skew.ndjson", skew);
    const strict = await runCli(["analyze", file, "--checker", "txn", "--report", "none", "--json"]);
    assert.equal(strict.code, 1);
    const verdict = JSON.parse(strict.stdout);
    assert.deepEqual(verdict.checkers[0].anomalyTypes, ["G2-item"]);
    assert.deepEqual(verdict.checkers[0].violatedModels, ["repeatable-read", "serializable", "strong-session-serializable", "strict-serializable"]);
    const si = await runCli(["analyze", file, "--checker", "txn", "--report", "none", "--json", "--consistency-model", "snapshot-isolation"]);
    assert.equal(si.code, 0);
    assert.equal(JSON.parse(si.stdout).checkers[0].valid, true);
  });

  it("rejects an unknown --consistency-model as a usage error", async () => {
    const run = await runCli(["analyze", writeTemp("skew.ndjson", skew), "--report", "none", "--consistency-model", "snapshot"]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /unknown consistency model "snapshot"; expected one of: read-uncommitted, /);
  });
});
