import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { analyzeFile } from "../../src/analyze.ts";
import { corpusMissing, corpusPath } from "./corpus.ts";

const skip = corpusMissing();

describe("canonical NDJSON corpus (hermitage/)", { skip }, () => {
  const files = skip ? [] : readdirSync(corpusPath("hermitage")).filter((f) => f.endsWith(".ndjson"));
  it("has histories to read", () => assert.ok(files.length > 10, `${files.length} files`));
  for (const name of files) {
    it(`${name} reads, pairs and is judged without error`, async () => {
      const { history, verdict } = await analyzeFile(corpusPath("hermitage", name), { checkers: ["auto"] });
      assert.equal(history.format, "ndjson");
      assert.equal(history.skippedCount, 0);
      assert.ok(history.operations.every((o) => o.outcome === "ok" || o.outcome === "fail" || o.outcome === "info"));
      assert.ok(verdict.checkers.every((c) => !c.summary.startsWith("the checker failed")), verdict.summary);
    });
  }
});
