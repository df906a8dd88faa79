/**
 * The shipped samples: each is exactly what its options produce, and Hindsight's checkers agree
 * with its truth file. Checkers not registered yet are skipped, saying so.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { analyzeFile } from "../../src/analyze.ts";
import { CHECKERS } from "../../src/checkers/registry.ts";
import { BEHAVIOURS, NEMESES, WORKLOADS } from "../../src/simulate/catalog.ts";
import { SAMPLES } from "../../src/simulate/samples.ts";
import type { Expectation, Truth } from "../../src/simulate/truth.ts";
import { simulated } from "../support/simulate-helpers.ts";
import { tempDir } from "../support/helpers.ts";

const HISTORIES = join(import.meta.dirname, "..", "..", "histories");

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

/** Runs every registered checker the expectations name on `file`; returns how many were checked. */
async function assertAgrees(file: string, expect: readonly Expectation[], label: string): Promise<number> {
  let checked = 0;
  for (const expected of expect) {
    const checker = registeredFor(expected.checker);
    if (checker === undefined) continue;
    const { verdict } = await analyzeFile(file, { checkers: [checker], flags: { consistencyModel: expected.consistencyModel }, timeLimitMs: 30_000 });
    const result = verdict.checkers.find((c) => c.checker === checker)!;
    assert.equal(result.valid, expected.valid, `${label}: ${checker} said ${String(result.valid)} (${result.summary}); the truth: ${expected.because}`);
    checked++;
  }
  return checked;
}

describe("histories/: analyze agrees with the truth files", () => {
  for (const sample of SAMPLES) {
    it(sample.file, async (t) => {
      const truth = await truthOf(sample.file);
      const checked = await assertAgrees(join(HISTORIES, sample.file), truth.expect, sample.file);
      if (checked === 0) t.skip(truth.expect.length === 0 ? "the truth asserts no verdict" : "no checker the truth speaks about is registered yet");
    });
  }

  it("and on random runs of every behaviour, workload and nemesis (property)", async () => {
    const dir = tempDir();
    const combos = BEHAVIOURS.flatMap((b) => WORKLOADS.filter((w) => b.rejects(w.create()) === undefined).map((w) => ({ behaviour: b.name, workload: w.name })));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...combos), fc.constantFrom(...NEMESES.map((n) => n.name)), fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(1, 1000), async (combo, nemesis, seed, tsResolution) => {
        const options = { ...combo, nemesis, seed, tsResolution, faults: 2, ops: combo.workload === "lww-rows" ? 700 : 500 };
        const run = await simulated(options);
        const file = join(dir, "run.ndjson");
        await writeFile(file, run.text);
        await assertAgrees(file, run.truth.expect, JSON.stringify(options));
      }),
      { numRuns: 20 },
    );
  });
});
