import assert from "node:assert/strict";
import { test } from "node:test";
import { checkLinearizable, type LinearizableEvidence } from "../../../src/checkers/linearizability/linearizable.ts";
import { chooseSemantics } from "../../../src/checkers/linearizability/semantics.ts";
import { UsageError } from "../../../src/history/errors.ts";
import { historyOf, type Rec } from "../../support/lin-histories.ts";

test("the default semantics follows the format; --semantics overrides it; unknown names are usage errors", () => {
  assert.equal(chooseSemantics(undefined, "edn").name, "knossos");
  assert.equal(chooseSemantics(undefined, "json-array").name, "knossos");
  assert.equal(chooseSemantics(undefined, "jepsen-log").name, "porcupine");
  assert.equal(chooseSemantics(undefined, "ndjson").name, "strict");
  assert.equal(chooseSemantics("auto", "edn").reason, "the default for edn histories");
  assert.deepEqual(chooseSemantics("strict", "edn"), { name: "strict", reason: "--semantics strict" });
  assert.throws(() => chooseSemantics("jepsen", "edn"), UsageError);
});

/** A write of 1 completes, then a read returns nil: stale under the strict reading, nothing under Knossos's. */
const NIL_AFTER_WRITE: Rec[] = [
  [0, "invoke", "write", 1],
  [0, "ok", "write", 1],
  [1, "invoke", "read"],
  [1, "ok", "read", null],
];

test("knossos: an ok read of nil matches any state, with a warning naming the read that strict semantics rejects", () => {
  const knossos = checkLinearizable(historyOf(NIL_AFTER_WRITE), { model: "register", semantics: "knossos" });
  assert.equal(knossos.valid, true);
  const evidence = knossos.evidence as LinearizableEvidence;
  assert.equal(evidence.semantics, "knossos");
  assert.equal(evidence.semanticsReason, "--semantics knossos");
  assert.deepEqual(evidence.strictDisagrees.map((d) => [d.culprit, d.culpritText, d.states]), [[1, "the read of nil by process 1 at index 3", ["1"]]]);
  assert.match(knossos.summary, /\(knossos semantics\).*Warning: .*the read of nil by process 1 at index 3 cannot be linearized/);
  assert.equal(knossos.stats.nilReadsForgotten, 1);
  const strict = checkLinearizable(historyOf(NIL_AFTER_WRITE), { model: "register", semantics: "strict" });
  assert.equal(strict.valid, false);
  assert.equal((strict.evidence as LinearizableEvidence).violation?.culprit, 1);
  // Porcupine's reading of nil is the strict one.
  assert.equal(checkLinearizable(historyOf(NIL_AFTER_WRITE), { model: "register", semantics: "porcupine" }).valid, false);
});

test("knossos: no warning when the nil read also fits strictly", () => {
  const result = checkLinearizable(historyOf([[1, "invoke", "read"], [1, "ok", "read", null], ...NIL_AFTER_WRITE.slice(0, 2)]), { model: "register", semantics: "knossos" });
  assert.equal(result.valid, true);
  assert.deepEqual((result.evidence as LinearizableEvidence).strictDisagrees, []);
  assert.doesNotMatch(result.summary, /Warning/);
});

test("knossos on multi-register: a micro-op read of nil matches any value, the rest of the txn is still checked", () => {
  const write: Rec[] = [
    [0, "invoke", "txn", [["write", "x", 1], ["write", "y", 2]]],
    [0, "ok", "txn", [["write", "x", 1], ["write", "y", 2]]],
  ];
  const nilX = checkLinearizable(historyOf([...write, [1, "invoke", "txn", [["read", "x", null], ["read", "y", null]]], [1, "ok", "txn", [["read", "x", null], ["read", "y", 2]]]]), { semantics: "knossos" });
  assert.equal(nilX.valid, true, nilX.summary);
  const staleY = checkLinearizable(historyOf([...write, [1, "invoke", "txn", [["read", "x", null], ["read", "y", null]]], [1, "ok", "txn", [["read", "x", null], ["read", "y", 3]]]]), { semantics: "knossos" });
  assert.equal(staleY.valid, false);
  assert.equal(checkLinearizable(historyOf([...write, [1, "invoke", "txn", [["read", "x", null]]], [1, "ok", "txn", [["read", "x", null]]]]), { semantics: "strict" }).valid, false);
});

/** A failed cas [0 1] while the register surely holds 0: its compare cannot have failed. */
const FAILED_CAS_ON_MATCH: Rec[] = [
  [0, "invoke", "write", 0],
  [0, "ok", "write", 0],
  [1, "invoke", "cas", [0, 1]],
  [1, "fail", "cas", [0, 1]],
  [0, "invoke", "read"],
  [0, "ok", "read", 0],
];

test("porcupine: a failed cas happened and saw another value; the other readings drop it", () => {
  const porcupine = checkLinearizable(historyOf(FAILED_CAS_ON_MATCH), { semantics: "porcupine" });
  assert.equal(porcupine.valid, false);
  assert.equal((porcupine.evidence as LinearizableEvidence).violation?.culprit, 1);
  assert.equal(porcupine.stats.failedKept, 1);
  for (const semantics of ["knossos", "strict"]) assert.equal(checkLinearizable(historyOf(FAILED_CAS_ON_MATCH), { semantics }).valid, true, semantics);
  const mismatch = FAILED_CAS_ON_MATCH.map((r): Rec => (r[2] === "cas" ? [r[0], r[1], "cas", [5, 1]] : r));
  assert.equal(checkLinearizable(historyOf(mismatch), { semantics: "porcupine" }).valid, true);
});

test("every verdict names its semantics", () => {
  const history = historyOf(NIL_AFTER_WRITE);
  assert.match(checkLinearizable(history, { model: "register" }).summary, /\(strict semantics\)/);
  const edn = { ...history, format: "edn" };
  assert.equal((checkLinearizable(edn, { model: "register" }).evidence as LinearizableEvidence).semanticsReason, "the default for edn histories");
});
