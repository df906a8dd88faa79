import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { checkLinearizable, type LinearizableEvidence } from "../../src/checkers/linearizability/linearizable.ts";
import type { LinearizableOptions } from "../../src/checkers/linearizability/plan.ts";
import { loadHistory } from "../../src/load.ts";
import { corpusMissing, corpusPath } from "./corpus.ts";

const skip = corpusMissing();
/** The floor of the issue: every corpus history decided within 60 s. */
const TIME_LIMIT_MS = 60_000;

function files(...dir: string[]): string[] {
  return skip ? [] : readdirSync(corpusPath(...dir)).sort().map((f) => corpusPath(...dir, f));
}

async function verdict(file: string, options: LinearizableOptions) {
  return checkLinearizable(await loadHistory(file), { timeLimitMs: TIME_LIMIT_MS, ...options });
}

/** Knossos's own expectations (corpus README): the culprit's text, for the bad files that name one. */
const KNOSSOS_CULPRITS: Record<string, string> = {
  "bad-analysis.edn": "the read of 2 by process 21 at index 14",
  "cas-failure.edn": "the read of 0 by process 70 at index 491",
  "rethink-fail.edn": "the read of 3 by process 12 at index 217",
  "rethink-fail-smaller.edn": "the read of 3 by process 12 at index 217",
  "rethink-fail-minimal.edn": "the read of 3 by process 1 at index 4",
  "immediate-failure.edn": "the read of 3 by process 1 at index 3",
};

// The good files read nil before any write: Knossos checks them from nil, not 0.
test("knossos cas-register/good: every file linearizable", { skip }, async () => {
  for (const file of files("knossos", "cas-register", "good")) {
    const result = await verdict(file, { model: "cas-register", initial: null });
    assert.equal(result.valid, true, `${file}: ${result.summary}`);
  }
});

test("knossos cas-register/bad: every file not linearizable, with Knossos's culprit", { skip }, async () => {
  for (const file of files("knossos", "cas-register", "bad")) {
    const result = await verdict(file, { model: "cas-register", initial: null });
    assert.equal(result.valid, false, `${file}: ${result.summary}`);
    const expected = KNOSSOS_CULPRITS[file.split("/").pop()!];
    if (expected) assert.equal((result.evidence as LinearizableEvidence).violation?.culpritText, expected, file);
  }
});

test("knossos multi-register/good linearizable from {x: 0, y: 0}; mutex/bad not linearizable", { skip }, async () => {
  const multi = await verdict(corpusPath("knossos", "multi-register", "good", "multi-register.edn"), { initial: { x: 0, y: 0 } });
  assert.equal(multi.valid, true, multi.summary);
  assert.equal((multi.evidence as LinearizableEvidence).model, "multi-register");
  const mutex = await verdict(corpusPath("knossos", "mutex", "bad", "etcd.edn"), {});
  assert.equal(mutex.valid, false, mutex.summary);
  assert.equal((mutex.evidence as LinearizableEvidence).model, "mutex");
});

test("porcupine kv: c01-ok and c10-ok linearizable, c01-bad and c10-bad not", { skip }, async () => {
  for (const [name, expected] of [["c01-ok", true], ["c10-ok", true], ["c01-bad", false], ["c10-bad", false]] as const) {
    const result = await verdict(corpusPath("porcupine", "kv", `${name}.txt`), {});
    assert.equal(result.valid, expected, `${name}: ${result.summary}`);
    assert.equal((result.evidence as LinearizableEvidence).model, "kv-append");
  }
});

/** Porcupine's tests: these are linearizable, every other etcd history here is not. */
const ETCD_LINEARIZABLE = new Set(["002", "005", "007", "018", "025", "031", "038", "045", "048", "049"]);

test("porcupine etcd: Porcupine's verdicts (cas-register from nil)", { skip }, async () => {
  const logs = files("porcupine", "etcd");
  assert.equal(logs.length, 50);
  for (const file of logs) {
    const result = await verdict(file, { model: "cas-register", initial: null });
    const expected = ETCD_LINEARIZABLE.has(/etcd_(\d+)/.exec(file)![1]!);
    assert.equal(result.valid, expected, `${file}: ${result.summary}`);
  }
});
