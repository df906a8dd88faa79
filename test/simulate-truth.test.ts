/**
 * The shipped samples: each is exactly what its options produce, and Hindsight's checkers agree
 * with its truth file. Checkers not registered yet are skipped, saying so.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { analyzeFile } from "../src/analyze.ts";
import { CHECKERS } from "../src/checkers/registry.ts";
import { SAMPLES } from "../src/simulate/samples.ts";
import type { Truth } from "../src/simulate/truth.ts";
import { simulated } from "./simulate-helpers.ts";

const HISTORIES = join(import.meta.dirname, "..", "histories");

/** Names a checker family may be registered under. */
const FAMILY: Record<string, readonly string[]> = {
  linearizability: ["linearizability", "linearizable", "lin", "knossos"],
  set: ["set"],
  "set-full": ["set-full"],
  counter: ["counter"],
  lww: ["lww", "lww-rows"],
  txn: ["txn", "elle"],
};

function registeredFor(family: string): string | undefined {
  const names = FAMILY[family] ?? [family];
  return CHECKERS.find((c) => names.includes(c.name))?.name;
}

const truthOf = async (file: string): Promise<Truth> => JSON.parse(await readFile(join(HISTORIES, file.replace(/\.ndjson$/, ".truth.json")), "utf8")) as Truth;

describe("histories/: shipped samples", () => {
  it("are byte for byte what their options produce, truth included", async () => {
    for (const sample of SAMPLES) {
      const run = await simulated(sample.options);
      assert.equal(run.text, await readFile(join(HISTORIES, sample.file), "utf8"), `${sample.file}: run npm run samples`);
      const truth = await truthOf(sample.file);
      assert.deepEqual({ ...truth, history: undefined, command: undefined }, { ...run.truth, history: undefined, command: undefined }, sample.file);
    }
  });

  it("are all listed in histories/README.md", async () => {
    const readme = await readFile(join(HISTORIES, "README.md"), "utf8");
    for (const sample of SAMPLES) assert.ok(readme.includes(`\`${sample.file}\``), sample.file);
  });
});

describe("histories/: analyze agrees with the truth files", () => {
  for (const sample of SAMPLES) {
    it(sample.file, async (t) => {
      const truth = await truthOf(sample.file);
      let checked = 0;
      for (const expected of truth.expect) {
        const checker = registeredFor(expected.checker);
        if (checker === undefined) {
          t.diagnostic(`no ${expected.checker} checker registered yet: skipped`);
          continue;
        }
        const { verdict } = await analyzeFile(join(HISTORIES, sample.file), { checkers: [checker], consistencyModel: expected.consistencyModel, timeLimitMs: 30_000 });
        const result = verdict.checkers.find((c) => c.checker === checker)!;
        assert.equal(result.valid, expected.valid, `${sample.file}: ${checker} said ${String(result.valid)} (${result.summary}); the truth: ${expected.because}`);
        checked++;
      }
      if (checked === 0) t.skip(truth.expect.length === 0 ? "the truth asserts no verdict" : "no checker the truth speaks about is registered yet");
    });
  }
});
