import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ndjson, runCli, writeTemp } from "../support/helpers.ts";
import { skew } from "../support/txn-histories.ts";

/** Two txns read x = 1 and then write it: a lost update, and with writes-follow-reads a G2-item cycle. */
const lostUpdate = ndjson([
  { type: "invoke", f: "txn", process: 0, value: [["w", "x", 1]] },
  { type: "ok", f: "txn", process: 0, value: [["w", "x", 1]] },
  { type: "invoke", f: "txn", process: 1, value: [["r", "x", null], ["w", "x", 2]] },
  { type: "invoke", f: "txn", process: 2, value: [["r", "x", null], ["w", "x", 3]] },
  { type: "ok", f: "txn", process: 1, value: [["r", "x", 1], ["w", "x", 2]] },
  { type: "ok", f: "txn", process: 2, value: [["r", "x", 1], ["w", "x", 3]] },
]);

describe("analyze --checker txn", () => {
  it("--wfr-keys, --sequential-keys, --linearizable-keys turn on Elle's inferences, named in the verdict", async () => {
    const file = writeTemp("lost-update.ndjson", lostUpdate);
    const plain = JSON.parse((await runCli(["analyze", file, "--checker", "txn", "--report", "none", "--json"])).stdout).checkers[0];
    assert.deepEqual(plain.anomalyTypes, ["lost-update"]);
    const run = await runCli(["analyze", file, "--checker", "txn", "--report", "none", "--json", "--wfr-keys", "--sequential-keys", "--linearizable-keys"]);
    const txn = JSON.parse(run.stdout).checkers[0];
    assert.deepEqual(txn.anomalyTypes, ["G2-item", "lost-update"]);
    assert.deepEqual(txn.evidence.inference, { sequentialKeys: true, linearizableKeys: true, wfrKeys: true });
    assert.match(txn.summary, /assuming sequential keys, linearizable keys, writes follow reads \(wfr\)/);
  });

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
