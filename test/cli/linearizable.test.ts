import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ndjson, runCli, tempDir, writeTemp } from "../support/helpers.ts";

const staleRead = ndjson([
  { type: "invoke", f: "write", process: 0, value: 1 },
  { type: "ok", f: "write", process: 0, value: 1 },
  { type: "invoke", f: "read", process: 1 },
  { type: "ok", f: "read", process: 1, value: null },
]);

test("analyze picks linearizable for a register history, exits 1 on a stale read and says so in report.md", async () => {
  const file = writeTemp("stale.ndjson", staleRead);
  const out = tempDir();
  const r = await runCli(["analyze", file, "--out", out, "--report", "json,md", "--workers", "1"]);
  assert.equal(r.code, 1);
  const verdict = JSON.parse(readFileSync(join(out, "stale", "verdict.json"), "utf8"));
  assert.deepEqual(verdict.picked.map((p: { checker: string }) => p.checker), ["stats", "linearizable"]);
  const md = readFileSync(join(out, "stale", "report.md"), "utf8");
  assert.match(md, /the read of nil by process 1 at index 3 cannot be linearized: after the 1 op before it the register can only hold 1\./);
});

test("--initial null is nil, not a string; an unknown --model is a usage error", async () => {
  const file = writeTemp("stale.ndjson", staleRead);
  const nil = await runCli(["analyze", file, "--report", "none", "--json", "--checker", "linearizable", "--initial", "null"]);
  assert.equal(JSON.parse(nil.stdout).checkers[0].evidence.initial, null);
  const bad = await runCli(["analyze", file, "--report", "none", "--model", "nope"]);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /unknown model "nope"; expected auto or one of: register, cas-register/);
  const notJson = await runCli(["analyze", file, "--report", "none", "--initial", "{x"]);
  assert.equal(notJson.code, 3);
  assert.equal(notJson.stderr, `hindsight: --initial {x: expected JSON, e.g. 0, null or '{"x":0}'\n`);
});

test("--semantics names the reading in the verdict; knossos lets the nil read through with a warning; unknown names exit 3", async () => {
  const file = writeTemp("stale.ndjson", staleRead);
  const strict = await runCli(["analyze", file, "--report", "none", "--json", "--checker", "linearizable"]);
  assert.equal(JSON.parse(strict.stdout).checkers[0].evidence.semantics, "strict");
  const knossos = await runCli(["analyze", file, "--report", "none", "--json", "--checker", "linearizable", "--semantics", "knossos"]);
  assert.equal(knossos.code, 0);
  const result = JSON.parse(knossos.stdout).checkers[0];
  assert.equal(result.evidence.semanticsReason, "--semantics knossos");
  assert.match(result.summary, /Warning: .*the read of nil by process 1 at index 3 cannot be linearized/);
  const bad = await runCli(["analyze", file, "--report", "none", "--semantics", "jepsen"]);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /unknown semantics "jepsen"; expected auto or one of: knossos, porcupine, strict/);
});

test("independent keys are detected, forced with --independent and refused with --no-independent; --first-failure stops early", async () => {
  const tuples = writeTemp(
    "keys.ndjson",
    ndjson([
      { type: "invoke", f: "write", process: 0, value: [1, 5] },
      { type: "ok", f: "write", process: 0, value: [1, 5] },
      { type: "invoke", f: "write", process: 1, value: [2, 5] },
      { type: "ok", f: "write", process: 1, value: [2, 5] },
      { type: "invoke", f: "read", process: 0, value: [1, null] },
      { type: "ok", f: "read", process: 0, value: [1, 6] },
      { type: "invoke", f: "read", process: 1, value: [2, null] },
      { type: "ok", f: "read", process: 1, value: [2, 6] },
    ]),
  );
  const run = async (...flags: string[]) => JSON.parse((await runCli(["analyze", tuples, "--report", "none", "--json", "--checker", "linearizable", ...flags])).stdout).checkers[0];
  const detected = await run();
  assert.equal(detected.evidence.independent.keys, 2);
  assert.deepEqual(detected.evidence.failingParts, ["key 1", "key 2"]);
  assert.equal((await run("--independent")).evidence.independent.keys, 2);
  assert.equal((await run("--no-independent", "--model", "register")).evidence.independent, undefined);
  assert.equal((await run("--first-failure")).stats.partsChecked, 1);
});
