import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { checkLinearizable } from "../../../src/checkers/linearizability/linearizable.ts";
import type { Semantics } from "../../../src/checkers/linearizability/semantics.ts";
import type { Operation } from "../../../src/history/op.ts";
import { everyOrder, historyOf, records, token, type OpMaker } from "../../support/lin-histories.ts";

/** A cas-register written from scratch, per semantics: the oracle does not share the models' code. */
function legal(semantics: Semantics, state: unknown, o: Operation): { next: unknown } | undefined {
  const same = (a: unknown, b: unknown): boolean => (a ?? null) === (b ?? null);
  if (o.f === "write") return { next: o.input ?? null };
  if (o.f === "read") return o.outcome !== "ok" || same(o.output, state) || (semantics === "knossos" && o.output == null) ? { next: state } : undefined;
  const [old, value] = o.input as [unknown, unknown];
  if (o.outcome === "fail") return same(state, old) ? undefined : { next: state };
  return same(state, old) ? { next: value } : undefined;
}

/** Which ops a semantics checks: fails never happened, but under Porcupine's a failed cas saw another value. */
function taken(semantics: Semantics, o: Operation): boolean {
  return o.outcome !== "fail" || (semantics === "porcupine" && o.f === "cas");
}

function bruteForce(semantics: Semantics, operations: Operation[], initial: unknown): boolean {
  return everyOrder(operations.filter((o) => taken(semantics, o)), initial ?? null, (state, o) => legal(semantics, state, o));
}

/** Reads that often return nil, writes of nil among the values, cas of every kind. */
const VALUES = [null, 0, 1];
const make: OpMaker = (kind, a, b) => [{ f: "read", output: VALUES[a] }, { f: "write", input: VALUES[a] }, { f: "cas", input: [VALUES[a], VALUES[b]] }][kind % 3]!;

for (const semantics of ["knossos", "porcupine", "strict"] as const) {
  test(`${semantics} semantics: the checker agrees with a brute-force oracle on random small cas-register histories`, () => {
    let invalid = 0;
    let differs = 0;
    fc.assert(
      fc.property(fc.array(token, { minLength: 6, maxLength: 24 }), fc.constantFrom(null, 0), (tokens, initial) => {
        const history = historyOf(records(tokens, make, 8));
        const client = history.operations;
        const expected = bruteForce(semantics, client, initial);
        if (!expected) invalid++;
        if (expected !== bruteForce("strict", client, initial)) differs++;
        const result = checkLinearizable(history, { model: "cas-register", initial, semantics });
        assert.equal(result.valid, expected, result.summary);
      }),
      { numRuns: 400, seed: 19 },
    );
    // Both verdicts, and (but for strict) histories where the reading changes the verdict.
    assert.ok(invalid > 40 && invalid < 360, `${invalid} of 400 invalid`);
    if (semantics !== "strict") assert.ok(differs > 10, `${differs} of 400 differ from strict`);
  });
}
