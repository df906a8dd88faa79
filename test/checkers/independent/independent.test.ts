import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { analyzeFile } from "../../../src/analyze.ts";
import { counterChecker } from "../../../src/checkers/counter/checker.ts";
import type { FlagText } from "../../../src/checkers/checker.ts";
import { composeByKey, type IndependentEvidence } from "../../../src/checkers/independent/independent.ts";
import { independentBecause, splitByKey } from "../../../src/checkers/independent/split.ts";
import { checkLinearizable, type LinearizableEvidence } from "../../../src/checkers/linearizability/linearizable.ts";
import { chooseCheckers } from "../../../src/checkers/registry.ts";
import { setChecker } from "../../../src/checkers/set/checker.ts";
import { checkSet } from "../../../src/checkers/set/set.ts";
import { ndjson, writeTemp } from "../../support/helpers.ts";
import { historyOf, random, type Rec } from "../../support/lin-histories.ts";

/** Each key's ops as [f, invoked value, completed value], run in order by one process per key. */
type Script = (key: number) => [f: string, invoke: unknown, ok: unknown][];

const REGISTER: Script = (k) => [
  ["write", [k, 1], [k, 1]],
  ["read", [k, null], [k, 1]],
  ["cas", [k, [1, 2]], [k, [1, 2]]],
  ["read", [k, null], [k, 2]],
];
const SET: Script = (k) => [
  ["add", [k, 1], [k, 1]],
  ["add", [k, 2], [k, 2]],
  ["read", [k, null], [k, [1, 2]]],
];
const COUNTER: Script = (k) => [
  ["add", [k, 1], [k, 1]],
  ["add", [k, 1], [k, 1]],
  ["read", [k, null], [k, 2]],
];

/**
 * Keys 0..keys-1, each driven by its own process, their records interleaved at random (seeded):
 * valid per key. `bad` replaces key `bad.key`'s last completed value.
 */
function independentHistory(script: Script, keys: number, seed: number, bad?: { key: number; value: unknown }): Rec[] {
  const next = random(seed);
  const pending = Array.from({ length: keys }, (_, k) => script(k).flatMap(([f, invoke, ok], i, all): Rec[] => {
    const last = i === all.length - 1 && bad?.key === k;
    return [[k, "invoke", f, invoke], [k, "ok", f, last ? [k, bad.value] : ok]];
  }));
  const out: Rec[] = [];
  while (pending.some((p) => p.length > 0)) {
    const live = pending.filter((p) => p.length > 0);
    out.push(live[Math.floor(next() * live.length)]!.shift()!);
  }
  return out;
}

const CASES = [
  { name: "linearizable", script: REGISTER, bad: 1, check: (rs: Rec[]) => checkLinearizable(historyOf(rs), {}) },
  { name: "set", script: SET, bad: [1], check: (rs: Rec[]) => setChecker.configure({}, {}).check(historyOf(rs)) },
  { name: "counter", script: COUNTER, bad: 5, check: (rs: Rec[]) => counterChecker.configure({}, {}).check(historyOf(rs)) },
] as const;

for (const { name, script, bad, check } of CASES) {
  test(`${name}: an independent history valid per key is valid; one bad read on key k is invalid naming k`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.nat(), fc.nat(), (keys, seed, which) => {
        const good = check(independentHistory(script, keys, seed));
        assert.equal(good.valid, true, good.summary);
        const k = which % keys;
        const result = check(independentHistory(script, keys, seed, { key: k, value: bad }));
        assert.equal(result.valid, false, result.summary);
        const failing = name === "linearizable" ? (result.evidence as LinearizableEvidence).failingParts : (result.evidence as IndependentEvidence).failingKeys.map((key) => `key ${key}`);
        assert.deepEqual(failing, [`key ${k}`]);
        assert.match(result.summary, new RegExp(`key ${k}\\b`));
      }),
      { numRuns: 60, seed: 15 },
    );
  });
}

test("linearizable lists every key's verdict, in key order", () => {
  const result = checkLinearizable(historyOf(independentHistory(REGISTER, 3, 9, { key: 2, value: 1 })), {});
  const evidence = result.evidence as LinearizableEvidence;
  assert.equal(evidence.independent?.keys, 3);
  assert.deepEqual(evidence.partResults.map((r) => [r.part, r.valid]), [["key 0", true], ["key 1", true], ["key 2", false]]);
  assert.equal(evidence.model, "cas-register");
});

test("a foldable checker's per-key fold gives what checking each key's history gives", () => {
  const history = historyOf(independentHistory(SET, 4, 3, { key: 1, value: [2] }));
  const byKey = composeByKey("set", independentBecause(history)!, splitByKey(history).map(({ key, history: sub }) => ({ key, result: checkSet(sub) })));
  assert.deepEqual(setChecker.configure({}, {}).check(history), byKey);
});

test("what is not independent keys is left alone: plain values, cas-only histories, tuple adds with plain reads", () => {
  const plain = historyOf([[0, "invoke", "write", 1], [0, "ok", "write", 1], [0, "invoke", "read"], [0, "ok", "read", 1]]);
  assert.equal(independentBecause(plain), undefined);
  assert.equal(independentBecause(historyOf([[0, "invoke", "cas", [0, 1]], [0, "ok", "cas", [0, 1]]])), undefined);
  // elle-cli's set_full.edn: adds are [0 i] tuples, reads plain integers; elle-cli judges it as one set.
  const mixed = historyOf([[0, "invoke", "add", [0, 1]], [0, "ok", "add", [0, 1]], [0, "invoke", "read"], [0, "ok", "read", [1]]]);
  assert.equal(independentBecause(mixed), undefined);
  assert.deepEqual(setChecker.configure({}, {}).check(mixed), checkSet(mixed));
});

test("--independent on values that are not tuples is unknown, naming the op; --no-independent judges tuples as plain values", () => {
  const plain = historyOf([[0, "invoke", "write", 1], [0, "ok", "write", 1]]);
  const forced = checkLinearizable(plain, { independent: true });
  assert.equal(forced.valid, "unknown");
  assert.match(forced.summary, /--independent: the value 1 of op 0 \(write by process 0\) is not a \[key value\] tuple/);
  const forcedSet = setChecker.configure({ independent: "true" } satisfies FlagText, {}).check(historyOf([[0, "invoke", "add", 1], [0, "ok", "add", 1]]));
  assert.equal(forcedSet.valid, "unknown");
  assert.match(forcedSet.summary, /--independent: op 0 \(add by process 0\) has a value that is not a \[key value\] tuple/);
  const tuples = historyOf(independentHistory(REGISTER, 2, 1));
  assert.equal((checkLinearizable(tuples, { independent: false, model: "register" }).evidence as LinearizableEvidence).independent, undefined);
});

test("--checker auto picks the per-key checkers by what each key's ops are", () => {
  const picked = chooseCheckers(["auto"], historyOf(independentHistory(COUNTER, 2, 4)));
  const counter = picked.find((c) => c.checker.name === "counter");
  assert.match(counter?.reason ?? "", /per key: every client value is a \[key value\] tuple \(Jepsen's independent keys\): 2 keys/);
});

test("a streamed independent counter history gets the verdict the loaded one gets", async () => {
  const records = independentHistory(COUNTER, 3, 11, { key: 1, value: 5 }).map(([process, type, f, value]) => ({ process, type, f, value }));
  const file = writeTemp("keys.ndjson", ndjson(records));
  const streamed = await analyzeFile(file, { checkers: ["counter"], streamThresholdBytes: 0 });
  const loaded = await analyzeFile(file, { checkers: ["counter"] });
  assert.equal(streamed.history.sampledFrom, 3 * 3);
  assert.deepEqual(streamed.verdict.checkers, loaded.verdict.checkers);
  assert.deepEqual((loaded.verdict.checkers[0]!.evidence as IndependentEvidence).failingKeys, [1]);
});
