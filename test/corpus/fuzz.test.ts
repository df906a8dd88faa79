/**
 * Bounded fuzzing (≤ ~60 s): mutate sample and corpus histories and check that Hindsight never
 * crashes, hangs or loses track of where input went wrong. Every run: exit code in {0,1,2,3},
 * no exception escapes, and an input error names FILE:LINE.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { runCli, tempDir } from "../support/helpers.ts";
import { CORPUS, corpusMissing } from "./corpus.ts";

const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 45_000);
const MAX_SEED_BYTES = 200_000;

function seedFiles(): string[] {
  const roots = ["histories", ...(corpusMissing() ? [] : [CORPUS])];
  const files: string[] = [];
  for (const root of roots) {
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || /\.(md|json)$/.test(entry.name) && !entry.name.endsWith(".ndjson")) continue;
      if (entry.name === "MANIFEST.json" || entry.name.endsWith(".truth.json")) continue;
      const path = join(entry.parentPath, entry.name);
      if (statSync(path).size <= MAX_SEED_BYTES) files.push(path);
    }
  }
  return files.sort();
}

type Mutation = (bytes: Buffer, rnd: () => number) => Buffer;

const lineSplit = (b: Buffer): string[] => b.toString("utf8").split("\n");
const pick = <T>(xs: T[], rnd: () => number): number => Math.floor(rnd() * xs.length);

const MUTATIONS: Record<string, Mutation> = {
  truncate: (b, rnd) => b.subarray(0, Math.floor(rnd() * b.length)),
  flipBytes: (b, rnd) => {
    const c = Buffer.from(b);
    for (let i = 0; i < 1 + rnd() * 8; i++) c[Math.floor(rnd() * c.length)] = Math.floor(rnd() * 256);
    return c;
  },
  duplicateLine: (b, rnd) => {
    const lines = lineSplit(b);
    const i = pick(lines, rnd);
    lines.splice(i, 0, lines[i]!);
    return Buffer.from(lines.join("\n"));
  },
  swapLines: (b, rnd) => {
    const lines = lineSplit(b);
    const i = pick(lines, rnd);
    const j = pick(lines, rnd);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return Buffer.from(lines.join("\n"));
  },
  hugeNumber: (b, rnd) => Buffer.from(b.toString("utf8").replace(/\d+/, rnd() < 0.5 ? "123456789012345678901234567890" : "1e400")),
  deepNesting: (b, rnd) => {
    const lines = lineSplit(b);
    const depth = 5000 + Math.floor(rnd() * 50_000);
    lines.splice(pick(lines, rnd), 0, `{"type":"invoke","f":"read","process":0,"value":${"[".repeat(depth)}${"]".repeat(depth)}}`, "[".repeat(depth));
    return Buffer.from(lines.join("\n"));
  },
  hugeLine: (b, rnd) => {
    const lines = lineSplit(b);
    lines.splice(pick(lines, rnd), 0, `{"type":"invoke","f":"write","process":99,"value":"${"x".repeat(10 * 1024 * 1024)}"}`);
    return Buffer.from(lines.join("\n"));
  },
  invalidUtf8: (b, rnd) => {
    const at = Math.floor(rnd() * b.length);
    return Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc3]), b.subarray(at)]);
  },
};

describe("fuzzing", () => {
  it("never crashes, hangs or loses the position of bad input", async () => {
    const seeds = seedFiles();
    assert.ok(seeds.length > 0, "seed files exist");
    const dir = tempDir();
    const started = Date.now();
    let runs = 0;
    const names = Object.keys(MUTATIONS);
    await fc.assert(
      fc.asyncProperty(fc.nat(seeds.length - 1), fc.nat(names.length - 1), fc.integer(), fc.boolean(), async (s, m, seed, lenient) => {
        if (Date.now() - started > BUDGET_MS) return;
        let state = seed | 1;
        const rnd = (): number => ((state = (Math.imul(state, 1103515245) + 12345) | 0) >>> 0) / 4294967296;
        const file = join(dir, `fuzz-${runs}${seeds[s]!.slice(seeds[s]!.lastIndexOf("."))}`);
        writeFileSync(file, MUTATIONS[names[m]!]!(readFileSync(seeds[s]!), rnd));
        runs++;
        const r = await runCli(["analyze", file, "--report", "none", "--quiet", "--time-limit", "5", ...(lenient ? ["--lenient"] : [])]);
        assert.ok([0, 1, 2, 3].includes(r.code), `exit ${r.code} for ${names[m]} of ${seeds[s]}`);
        assert.doesNotMatch(r.stderr, /internal error/, `${names[m]} of ${seeds[s]}: ${r.stderr.slice(0, 2000)}`);
        if (r.code === 3) assert.match(r.stderr, new RegExp(`${file.replaceAll("/", "\\/").replaceAll(".", "\\.")}(:\\d+)+: `), r.stderr.slice(0, 500));
      }),
      { numRuns: 3000, seed: 20261126, endOnFailure: true },
    );
    console.log(`fuzz: ${runs} mutated inputs from ${seeds.length} seed files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
