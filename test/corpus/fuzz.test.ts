/**
 * Bounded fuzzing (FUZZ_BUDGET_MS, ~60 s in all): mutate histories of every format — the samples,
 * the corpus when present, and small seeds of each format written here — and check that
 * Hindsight never crashes, hangs or loses track of where input went wrong:
 * - any input → a verdict (exit 0, 1, 2) or exit 3 naming FILE:LINE, never a stack, within
 *   MAX_RSS_MB of memory;
 * - a record cut inside (the file ends in an open form or field) is never `valid`: exit 3
 *   naming its place, and with --lenient a verdict that is not `valid`;
 * - a field given twice in one record is exit 3 naming its place.
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
/** Peak memory of the whole fuzzing process, hostile inputs (10 MB lines, 50,000-deep nesting) included. */
const MAX_RSS_MB = 2048;

/** One small history per format and layout, so every format is fuzzed even without the corpus. */
const FORMAT_SEEDS: Record<string, string> = {
  "seed.ndjson": [
    '{"type":"invoke","f":"write","value":1,"process":0,"time":1000}',
    '{"type":"ok","f":"write","value":1,"process":0,"time":2000}',
    '{"type":"invoke","f":"read","value":null,"process":1,"time":3000}',
    '{"type":"ok","f":"read","value":1,"process":1,"time":4000}',
    '{"type":"invoke","f":"start-partition","process":"nemesis","time":5000}',
    '{"type":"info","f":"start-partition","value":["n1"],"process":"nemesis","time":6000}',
  ].join("\n"),
  "seed.json": '[{"type":"invoke","f":"txn","value":[["append",1,1],["r",1,null]],"process":0,"index":0},\n {"type":"ok","f":"txn","value":[["append",1,1],["r",1,[1]]],"process":0,"index":1}]\n',
  "seed.edn": "[{:process 0, :type :invoke, :f :add, :value 1, :time 10}\n {:process 0, :type :ok, :f :add, :value 1, :time 20}\n {:process 1, :type :invoke, :f :read, :value nil, :time 30}\n {:process 1, :type :ok, :f :read, :value #{1}, :time 40}]\n",
  "seed-bare.edn": '{:process 0, :type :invoke, :f :write, :value 3}\n{:process 0, :type :ok, :f :write, :value 3}\n{:process :nemesis, :type :info, :f :start, :value "cut"}\n',
  "seed-tabs.log": "INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2]\nINFO  jepsen.util - 0\t:fail\t:cas\t[1 2]\t[:cas-failed 3]\nINFO  jepsen.core - noise\nINFO  jepsen.util - 1\t:invoke\t:read\tnil\nINFO  jepsen.util - 1\t:ok\t:read\t2\n",
  "seed-spaces.log": "INFO  jepsen.util - 0   :invoke :write  [1 2]\nINFO  jepsen.util - 0   :ok     :write  [1 2]\n",
  "seed-history.txt": "0\t:invoke\t:add\t1\n0\t:ok\t:add\t1\n1\t:invoke\t:read\tnil\n1\t:ok\t:read\t#{1}\n",
  "seed-2013.log": "0\t:ok\t12\t██\n1\t:error\t1002\t█████\nFailed to send\n2\t:ok\t12\t██\nInitiating partition.\nPartitioned.\nPartition healed.\n\n3 total\n2 acknowledged\n2 survivors\nAll 2 writes succeeded. :-D\n",
};

function seedFiles(): string[] {
  const seeds = tempDir();
  const files = Object.entries(FORMAT_SEEDS).map(([name, text]) => {
    writeFileSync(join(seeds, name), text);
    return join(seeds, name);
  });
  for (const root of ["histories", ...(corpusMissing() ? [] : [CORPUS])]) {
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || (/\.(md|json)$/.test(entry.name) && !entry.name.endsWith(".ndjson"))) continue;
      if (entry.name === "MANIFEST.json" || entry.name.endsWith(".truth.json")) continue;
      const path = join(entry.parentPath, entry.name);
      if (statSync(path).size <= MAX_SEED_BYTES) files.push(path);
    }
  }
  return files.sort();
}

type Random = () => number;
type Mutation = (bytes: Buffer, rnd: Random) => Buffer;

const lineSplit = (b: Buffer): string[] => b.toString("utf8").split("\n");
const pick = <T>(xs: T[], rnd: Random): number => Math.floor(rnd() * xs.length);
const onLines = (b: Buffer, rnd: Random, change: (line: string) => string): Buffer => {
  const lines = lineSplit(b);
  const i = pick(lines, rnd);
  lines[i] = change(lines[i]!);
  return Buffer.from(lines.join("\n"));
};

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
  hugeNumber: (b, rnd) => Buffer.from(b.toString("utf8").replace(/\d+/, ["123456789012345678901234567890", "1e400", "9007199254740993", "1e27"][Math.floor(rnd() * 4)]!)),
  hugeTime: (b, rnd) => Buffer.from(b.toString("utf8").replace(/("time":|:time )\d+/g, (_, key: string) => `${key}${rnd() < 0.5 ? "100000000000000000000" : "1000000000000000000000000001"}`)),
  stringProcess: (b) => Buffer.from(b.toString("utf8").replace(/"process":(\d+)/g, '"process":"$1"').replace(/:process (\d+)/g, ':process "$1"')),
  spacesForTabs: (b, rnd) => Buffer.from(b.toString("utf8").replaceAll("\t", " ".repeat(1 + Math.floor(rnd() * 4)))),
  tabToSpace: (b, rnd) => onLines(b, rnd, (line) => line.replace("\t", " ")),
  duplicateField: (b, rnd) => onLines(b, rnd, (line) => line.replace(/^(\s*\[?\s*)\{/, (m) => `${m}"type":"ok",`).replace(/^(\s*\[?\s*)\{:/, (m) => `${m}type :ok, :`)),
  deepNesting: (b, rnd) => {
    const lines = lineSplit(b);
    const depth = 5000 + Math.floor(rnd() * 50_000);
    const edn = rnd() < 0.5;
    const record = edn ? `{:type :invoke, :f :read, :process 0, :value ${"[".repeat(depth)}${"]".repeat(depth)}}` : `{"type":"invoke","f":"read","process":0,"value":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    lines.splice(pick(lines, rnd), 0, record, "[".repeat(depth));
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

/** In a text log, where an op line's first field ends and its `:type` begins. */
const OP_LINE_START = /^(?:\S[^\t]*?\s+)?(?:INFO\s+(?:\[[^\]]*\]\s+)?jepsen\.util(?: -|:) )?-?\d+[\t ]+:/gm;

/**
 * Cuts the file just after a character that opens something a record needs closed, so the last
 * record is unreadable by construction: in JSON and EDN a bracket or quote (not in an EDN
 * comment); in text logs the ':' that starts an op line's type. Undefined when there is none.
 */
function cutInsideRecord(text: string, extension: string, rnd: Random): string | undefined {
  const openers: number[] = [];
  if (extension === ".log" || extension === ".txt") {
    for (const m of text.matchAll(OP_LINE_START)) openers.push(m.index + m[0].length - 1);
  } else {
    let comment = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === "\n") comment = false;
      else if (c === ";" && extension === ".edn") comment = true;
      else if (!comment && "{[(\"".includes(c)) openers.push(i);
    }
  }
  if (openers.length === 0) return undefined;
  return text.slice(0, openers[pick(openers, rnd)]! + 1);
}

const escaped = (file: string): string => file.replaceAll("/", "\\/").replaceAll(".", "\\.");
const ext = (seed: string): string => seed.slice(seed.lastIndexOf("."));

/** A deterministic generator from a fast-check integer, so each failure replays. */
function random(seed: number): Random {
  let state = seed | 1;
  return () => ((state = (Math.imul(state, 1103515245) + 12345) | 0) >>> 0) / 4294967296;
}

async function analyze(file: string, lenient: boolean): ReturnType<typeof runCli> {
  return runCli(["analyze", file, "--report", "none", "--json", "--time-limit", "5", ...(lenient ? ["--lenient"] : [])]);
}

function verdictOf(stdout: string): unknown {
  return (JSON.parse(stdout.trim().split("\n")[0]!) as { valid: unknown }).valid;
}

describe("fuzzing", () => {
  const seeds = seedFiles();
  const dir = tempDir();
  let runs = 0;
  let peakRss = 0;

  it("never crashes, hangs or loses the position of bad input", async () => {
    assert.ok(seeds.length >= Object.keys(FORMAT_SEEDS).length);
    const started = Date.now();
    const names = Object.keys(MUTATIONS);
    await fc.assert(
      fc.asyncProperty(fc.nat(seeds.length - 1), fc.nat(names.length - 1), fc.integer(), fc.boolean(), async (s, m, seed, lenient) => {
        if (Date.now() - started > BUDGET_MS * 0.6) return;
        const file = join(dir, `fuzz-${runs++}${ext(seeds[s]!)}`);
        writeFileSync(file, MUTATIONS[names[m]!]!(readFileSync(seeds[s]!), random(seed)));
        const r = await analyze(file, lenient);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        assert.ok([0, 1, 2, 3].includes(r.code), `exit ${r.code} for ${names[m]} of ${seeds[s]}`);
        assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, `${names[m]} of ${seeds[s]}: ${r.stderr.slice(0, 2000)}`);
        if (r.code === 3) assert.match(r.stderr, new RegExp(`${escaped(file)}(:\\d+)+: `), r.stderr.slice(0, 500));
      }),
      { numRuns: 3000, seed: 20261126, endOnFailure: true },
    );
    assert.ok(peakRss < MAX_RSS_MB * 2 ** 20, `peak RSS ${Math.round(peakRss / 2 ** 20)} MB`);
    console.log(`fuzz: ${runs} mutated inputs from ${seeds.length} seed files in ${((Date.now() - started) / 1000).toFixed(1)} s, peak RSS ${Math.round(peakRss / 2 ** 20)} MB`);
  });

  it("a record cut inside is never valid: exit 3 at its place, and not valid with --lenient", async () => {
    const started = Date.now();
    let cut = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(seeds.length - 1), fc.integer(), async (s, seed) => {
        if (Date.now() - started > BUDGET_MS * 0.3) return;
        const text = cutInsideRecord(readFileSync(seeds[s]!, "utf8"), ext(seeds[s]!), random(seed));
        if (text === undefined) return;
        const file = join(dir, `cut-${cut++}${ext(seeds[s]!)}`);
        writeFileSync(file, text);
        const strict = await analyze(file, false);
        assert.equal(strict.code, 3, `${seeds[s]} cut to …${JSON.stringify(text.slice(-60))}: ${strict.stdout.slice(0, 300)}`);
        assert.match(strict.stderr, new RegExp(`${escaped(file)}:\\d+`));
        const lenient = await analyze(file, true);
        if (lenient.code !== 3) assert.notEqual(verdictOf(lenient.stdout), true, `${seeds[s]} cut to …${JSON.stringify(text.slice(-60))} is valid with --lenient`);
      }),
      { numRuns: 1000, seed: 20261201, endOnFailure: true },
    );
    console.log(`fuzz: ${cut} histories cut inside a record`);
  });

  it("a field given twice in one record is exit 3 at its place", async () => {
    const records = seeds.filter((s) => /\.(ndjson|edn)$/.test(s)).slice(0, 40);
    for (const [i, seed] of records.entries()) {
      const lines = readFileSync(seed, "utf8").split("\n");
      const at = lines.findIndex((l) => /^\s*\[?\s*\{(?:"|:)\w/.test(l) && /"type"|:type/.test(l));
      if (at === -1) continue;
      lines[at] = lines[at]!.replace(/\{/, (m) => (seed.endsWith(".edn") ? `${m}:type :ok, ` : `${m}"type":"ok",`));
      const file = join(dir, `twice-${i}${ext(seed)}`);
      writeFileSync(file, lines.join("\n"));
      const r = await analyze(file, false);
      assert.equal(r.code, 3, `${seed}: ${r.stdout.slice(0, 200)}`);
      assert.match(r.stderr, new RegExp(`${escaped(file)}:${at + 1}:\\d+: .*given twice`), r.stderr.slice(0, 300));
    }
  });
});
