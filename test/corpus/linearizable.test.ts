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

// Knossos's own tests: cas-register from 0, under Knossos's semantics (the default for EDN): an ok read of nil matches any state.
test("knossos cas-register/good: every file linearizable from 0 (knossos semantics, the EDN default)", { skip }, async () => {
  for (const file of files("knossos", "cas-register", "good")) {
    const result = await verdict(file, { model: "cas-register", initial: 0 });
    assert.equal(result.valid, true, `${file}: ${result.summary}`);
    assert.equal((result.evidence as LinearizableEvidence).semantics, "knossos");
  }
});

test("knossos cas-register/bad: every file not linearizable from 0 (and from nil), with Knossos's culprit", { skip }, async () => {
  for (const file of files("knossos", "cas-register", "bad")) {
    for (const initial of [0, null]) {
      const result = await verdict(file, { model: "cas-register", initial });
      assert.equal(result.valid, false, `${file}: ${result.summary}`);
      const expected = KNOSSOS_CULPRITS[file.split("/").pop()!];
      if (expected) assert.equal((result.evidence as LinearizableEvidence).violation?.culpritText, expected, file);
    }
  }
});

test("knossos cas-register/good read strictly from nil: still linearizable; from 0 the stale nil reads are named in a warning", { skip }, async () => {
  let warned = 0;
  for (const file of files("knossos", "cas-register", "good")) {
    assert.equal((await verdict(file, { model: "cas-register", initial: null, semantics: "strict" })).valid, true, file);
    const knossos = await verdict(file, { model: "cas-register", initial: 0 });
    const disagrees = (knossos.evidence as LinearizableEvidence).strictDisagrees;
    if (disagrees.length > 0) {
      warned++;
      assert.match(knossos.summary, /Warning: .* the read of nil by process \d+ at index \d+ cannot be linearized/, file);
    }
  }
  assert.ok(warned > 0, "some good files start with nil reads that strictly cannot follow 0");
});

test("knossos multi-register/good linearizable from {x: 0, y: 0}; mutex/bad not linearizable", { skip }, async () => {
  const multi = await verdict(corpusPath("knossos", "multi-register", "good", "multi-register.edn"), { initial: { x: 0, y: 0 } });
  assert.equal(multi.valid, true, multi.summary);
  assert.equal((multi.evidence as LinearizableEvidence).model, "multi-register");
  const mutex = await verdict(corpusPath("knossos", "mutex", "bad", "etcd.edn"), {});
  assert.equal(mutex.valid, false, mutex.summary);
  assert.equal((mutex.evidence as LinearizableEvidence).model, "mutex");
});

test("porcupine kv: c01-ok and c10-ok linearizable, c01-bad and c10-bad not; every key decided and listed", { skip }, async () => {
  for (const [name, expected, keys] of [["c01-ok", true, 10], ["c10-ok", true, 10], ["c01-bad", false, 8], ["c10-bad", false, 10]] as const) {
    const result = await verdict(corpusPath("porcupine", "kv", `${name}.txt`), {});
    assert.equal(result.valid, expected, `${name}: ${result.summary}`);
    const evidence = result.evidence as LinearizableEvidence;
    assert.equal(evidence.model, "kv-append");
    assert.equal(evidence.partResults.length, keys, name);
    assert.ok(evidence.partResults.every((r) => r.valid !== "unknown"), name);
    assert.deepEqual(evidence.failingParts, evidence.partResults.filter((r) => r.valid === false).map((r) => r.part));
  }
});

/** Porcupine's tests: these are linearizable, every other etcd history here is not. */
const ETCD_LINEARIZABLE = new Set(["002", "005", "007", "018", "025", "031", "038", "045", "048", "049"]);

test("porcupine etcd: Porcupine's verdicts (cas-register from nil) under every semantics, porcupine's the default for text logs", { skip }, async () => {
  const logs = files("porcupine", "etcd");
  assert.equal(logs.length, 50);
  for (const file of logs) {
    const expected = ETCD_LINEARIZABLE.has(/etcd_(\d+)/.exec(file)![1]!);
    const result = await verdict(file, { model: "cas-register", initial: null });
    assert.equal(result.valid, expected, `${file}: ${result.summary}`);
    assert.equal((result.evidence as LinearizableEvidence).semantics, "porcupine");
    for (const semantics of ["knossos", "strict"]) assert.equal((await verdict(file, { model: "cas-register", initial: null, semantics })).valid, expected, `${file} (${semantics})`);
  }
});
