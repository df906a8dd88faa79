import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { warmUp } from "../../src/bin/warm-up.ts";
import type { FileVerdict } from "../../src/checkers/verdict.ts";
import { tempDir } from "../support/helpers.ts";

it("the warm-up analyzes every format a parser reads and every checker a workload exercises, with valid and invalid verdicts and charts", async () => {
  const work = tempDir();
  await warmUp(work);
  const reports = join(work, "reports");
  const verdicts = readdirSync(reports, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => JSON.parse(readFileSync(join(reports, entry.name, "verdict.json"), "utf8")) as FileVerdict);
  assert.deepEqual(new Set(verdicts.map((v) => v.format)), new Set(["ndjson", "edn", "jepsen-log"]));
  const checked = (validity: boolean) => new Set(verdicts.flatMap((v) => v.checkers.filter((c) => c.valid === validity).map((c) => c.checker)));
  for (const checker of ["linearizable", "set", "set-full", "counter", "bank", "unique-ids", "queue", "total-queue", "txn", "lww"]) assert.ok(checked(true).has(checker) || checked(false).has(checker), `${checker} ran`);
  for (const checker of ["linearizable", "set", "counter", "queue", "txn"]) assert.ok(checked(true).has(checker) && checked(false).has(checker), `${checker} both valid and invalid`);
  // Porcupine's kv shape: keyed ops, one part per key.
  const kv = verdicts.find((v) => v.file.endsWith("kv.edn"))!;
  const kvParts = kv.checkers.find((c) => c.checker === "linearizable")!;
  assert.equal((kvParts.evidence as { model: string }).model, "kv-append");
  assert.ok(Number((kvParts.stats as { bySearch?: number }).bySearch) > 0, "a kv key searched");
  assert.ok(readdirSync(join(reports, "majority-register", "charts")).length > 1, "charts drawn");
  assert.ok(existsSync(join(reports, "index.html")), "the batch's index written");
});
