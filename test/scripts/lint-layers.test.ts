import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { lintLayers, readSources } from "../../scripts/lint-layers.ts";

const lint = (files: Record<string, string>): string[] => lintLayers(new Map(Object.entries(files)));

test("src/ keeps its layers and has no import cycle", () => {
  assert.deepEqual(lintLayers(readSources(join(import.meta.dirname, "..", ".."))), []);
});

test("history imports nothing above it; parsers only history", () => {
  assert.deepEqual(lint({ "src/history/op.ts": 'import type { Choice } from "../checkers/registry.ts";' }), ["src/history/op.ts: imports src/checkers/registry.ts; history imports nothing above it"]);
  assert.deepEqual(lint({ "src/parsers/edn.ts": 'import { x } from "../history/op.ts";\nimport { y } from "../load.ts";' }), ["src/parsers/edn.ts: imports src/load.ts; parsers import only history"]);
});

test("a checker's checking files import only history and checkers; its descriptor and section may draw", () => {
  const drawing = 'import type { Section } from "../../report/document.ts";';
  assert.deepEqual(lint({ "src/checkers/set/set.ts": drawing }), ["src/checkers/set/set.ts: imports src/report/document.ts; a checker's checking files import only history and checkers (drawing belongs in its section.ts)"]);
  assert.deepEqual(lint({ "src/checkers/set/section.ts": drawing, "src/checkers/set/set-full-section.ts": drawing, "src/checkers/set/checker.ts": drawing }), []);
  assert.deepEqual(lint({ "src/checkers/set/set.ts": 'import { parse } from "../../parsers/edn.ts";' }).length, 1);
});

test("report never reads, runs or collects", () => {
  assert.deepEqual(lint({ "src/report/build.ts": 'import { a } from "../parsers/registry.ts";\nimport { b } from "../workers/pool.ts";\nimport { c } from "../collect/nemesis.ts";\nimport { d } from "../checkers/registry.ts";' }).length, 3);
});

test("only src/workers and src/collect start threads or processes", () => {
  const threads = 'import { Worker } from "node:worker_threads";\nimport { spawn } from "child_process";\nimport { Piscina } from "piscina";';
  assert.deepEqual(lint({ "src/analyze.ts": threads }).length, 3);
  assert.deepEqual(lint({ "src/workers/pool.ts": threads, "src/collect/etcd/cluster.ts": threads }), []);
});

test("checkers never read files or print", () => {
  assert.deepEqual(lint({ "src/checkers/txn/check.ts": 'import { readFileSync } from "node:fs";\nconsole.log(1);' }), [
    "src/checkers/txn/check.ts: imports fs; checkers never read files",
    "src/checkers/txn/check.ts: prints; checkers return results and never print",
  ]);
  assert.deepEqual(lint({ "src/checkers/txn/check.ts": 'import { readFile } from "node:fs/promises";' }).length, 1);
});

test("an import cycle is named by a shortest path around it, type-only imports included", () => {
  assert.deepEqual(lint({ "src/a.ts": 'import { b } from "./b.ts";', "src/b.ts": 'import type { c } from "./sub/c.ts";', "src/sub/c.ts": 'export { a } from "../a.ts";', "src/d.ts": 'import "./a.ts";' }), [
    "import cycle: src/a.ts → src/b.ts → src/sub/c.ts → src/a.ts",
  ]);
  assert.deepEqual(lint({ "src/a.ts": 'import { b } from "./b.ts";', "src/b.ts": "export const b = 1;" }), []);
});
