import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCli, writeTemp } from "../support/helpers.ts";
import { skew } from "../support/txn-histories.ts";


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
