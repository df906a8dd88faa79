import assert from "node:assert/strict";
import { test } from "node:test";
import { checkSet, talk } from "../../../src/checkers/set/set.ts";
import { setChecker } from "../../../src/checkers/set/checker.ts";
import { REPORTED_SET_SUMMARY, type ReportedSetSummary } from "../../../src/history/annotations.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { makeHistory, op } from "../../support/make-history.ts";
import { guardedCheck } from "../../../src/checkers/guard.ts";
import { manualDeadline, pastDeadline } from "../../support/deadline.ts";

/** 0..6 acknowledged, 7 and 9 indeterminate, 8 failed; the final read lost 4 and 6, kept 7, invented 42. */
function lossy(): RawOp[] {
  const records: RawOp[] = [];
  for (let i = 0; i <= 6; i++) records.push(...op(0, "add", i));
  records.push(...op(1, "add", 7, "info"), ...op(2, "add", 8, "fail"), ...op(3, "add", 9, "info"));
  records.push(...op(4, "read", null, "ok", [0, 1, 2, 3, 5, 7, 42]));
  return records;
}

test("one final read: |T|, |A|, |R|, lost, recovered, unexpected and the 2013 rates", () => {
  const result = checkSet(makeHistory(lossy()));
  assert.equal(result.valid, false);
  assert.deepEqual(result.stats.counts, { attempted: 10, acknowledged: 7, read: 7, lost: 2, recovered: 1, unexpected: 1, failedPresent: 0 });
  assert.deepEqual(result.stats.rates, { ack: 0.7, loss: 2 / 7, unackedPresent: 1 / 7 });
  assert.deepEqual(result.evidence.lost, [4, 6]);
  assert.deepEqual(result.evidence.recovered, [7]);
  assert.deepEqual(result.evidence.unexpected, [42]);
  assert.deepEqual(result.evidence.lostAddIds, [4, 6]);
  assert.deepEqual(result.focus, [4, 6, 10]);
  assert.match(result.summary, /^2 of 7 acknowledged adds lost \(4 6\); 1 element read that was never added \(42\)\. 10 attempted, 7 in the final read: 70% acknowledged, 28\.6% false positives \(acknowledged but lost\), 14\.3% false negatives/);
  const outcomes = Object.fromEntries(result.evidence.elements.map((e) => [String(e.element), e.outcome]));
  assert.deepEqual(outcomes, { 0: "present", 1: "present", 2: "present", 3: "present", 4: "lost", 5: "present", 6: "lost", 7: "recovered", 8: "absent", 9: "absent" });
});

test("a failed add that is read counts as recovered and as failed-but-present", () => {
  const result = checkSet(makeHistory([...op(0, "add", 1), ...op(1, "add", 2, "fail"), ...op(0, "read", null, "ok", [1, 2])]));
  assert.equal(result.valid, true);
  assert.equal(result.stats.counts.recovered, 1);
  assert.equal(result.stats.counts.failedPresent, 1);
  assert.deepEqual(result.evidence.failedPresent, [2]);
});

test("an acknowledged add still running when the read began is not lost", () => {
  const records: RawOp[] = [
    { type: "invoke", f: "add", process: 0, value: 1 },
    { type: "invoke", f: "read", process: 1, value: null },
    { type: "ok", f: "add", process: 0, value: 1 },
    { type: "ok", f: "read", process: 1, value: [] },
  ];
  const result = checkSet(makeHistory(records));
  assert.equal(result.valid, true);
  assert.equal(result.stats.counts.lost, 0);
  assert.equal(result.evidence.elements[0]!.outcome, "concurrent");
});

test("the last read to complete is the final one", () => {
  const result = checkSet(makeHistory([...op(0, "add", 1), ...op(0, "read", null, "ok", []), ...op(0, "read", null, "ok", [1])]));
  assert.equal(result.valid, true);
  assert.equal(result.evidence.finalRead?.id, 2);
});

test("never read: unknown, never valid", () => {
  const result = checkSet(makeHistory([...op(0, "add", 1), ...op(0, "add", 2, "info")]));
  assert.equal(result.valid, "unknown");
  assert.deepEqual(result.stats.rates, { ack: 0.5, loss: null, unackedPresent: null });
  assert.deepEqual(result.evidence.elements.map((e) => e.outcome), ["acknowledged", "unacknowledged"]);
  assert.match(result.summary, /never read/);
});

test("the talk's phrasing", () => {
  assert.equal(talk({ attempted: 1000, acknowledged: 780, read: 781 }, { ack: 0.78, loss: 0, unackedPresent: 1 / 780 }), "1000 attempted, 781 in the final read: 78% acknowledged, 0% false positives (acknowledged but lost), 0.13% false negatives (unacknowledged but present).");
});

test("a printed 2013 summary is set beside ours; figures the history cannot give are marked printed only", () => {
  const reported: ReportedSetSummary = { total: 2000, acknowledged: 1998, survivors: 872, lost: 1126, lostElements: [50, 51, 1685], lostElided: true, ackRate: 0.999, lossRate: 0.5635636, unacknowledgedSuccessRate: 0, lines: [12, 13] };
  const history = makeHistory([...op(0, "add", 0), ...op(1, "add", 1), ...op(2, "add", 2, "info")], { [REPORTED_SET_SUMMARY]: reported });
  assert.equal(setChecker.appliesBecause(history), "a 2013 set-app log with a printed summary");
  const result = checkSet(history);
  assert.equal(result.valid, "unknown");
  assert.match(result.summary, /printed summary claims 1126 acknowledged writes lost \(loss rate 0\.5635636\)/);
  assert.deepEqual(result.stats.reportedOnly, ["survivors", "acknowledged writes lost", "loss rate", "unacknowledged but successful rate"]);
  const rows = Object.fromEntries(result.evidence.comparison!.map((r) => [r.figure, [r.ours, r.printed]]));
  assert.deepEqual(rows, {
    total: [3, 2000],
    acknowledged: [2, 1998],
    survivors: [null, 872],
    "acknowledged writes lost": [null, 1126],
    "ack rate": [2 / 3, 0.999],
    "loss rate": [null, 0.5635636],
    "unacknowledged but successful rate": [null, 0],
  });
  const lostRow = result.evidence.comparison!.find((r) => r.figure === "acknowledged writes lost")!;
  assert.match(lostRow.note, /printed only.*elided/);
  assert.equal(result.evidence.comparison![0]!.note, "differs: the log holds only 3 of the 2000 requests its summary counts");
});

test("printed rates agree with ours when they round the same", () => {
  const records: RawOp[] = [];
  for (let i = 0; i < 1998; i++) records.push(...op(0, "add", i));
  records.push(...op(1, "add", 1998, "info"), ...op(2, "add", 1999, "info"));
  const survivors = Array.from({ length: 872 }, (_, i) => i);
  records.push(...op(3, "read", null, "ok", survivors));
  const reported: ReportedSetSummary = { total: 2000, acknowledged: 1998, survivors: 872, lost: 1126, ackRate: 0.999, lossRate: 0.5635636, unacknowledgedSuccessRate: 0 };
  const result = checkSet(makeHistory(records, { [REPORTED_SET_SUMMARY]: reported }));
  assert.equal(result.valid, false);
  const notes = Object.fromEntries(result.evidence.comparison!.map((r) => [r.figure, r.note]));
  assert.deepEqual(notes, {
    total: "agrees",
    acknowledged: "agrees",
    survivors: "agrees",
    "acknowledged writes lost": "agrees",
    "unacknowledged writes found": "ours only: the log did not print it",
    "ack rate": "agrees",
    "loss rate": "agrees",
    "unacknowledged but successful rate": "agrees",
  });
  assert.deepEqual(result.stats.reportedOnly, []);
});

test("auto: one collection read picks set; none with unique adds too; repeated adds do not", () => {
  assert.ok(setChecker.appliesBecause(makeHistory(lossy())));
  assert.ok(setChecker.appliesBecause(makeHistory([...op(0, "add", 1), ...op(0, "add", 2)])));
  assert.equal(setChecker.appliesBecause(makeHistory([...op(0, "add", 1), ...op(0, "add", 1)])), undefined);
  assert.equal(setChecker.appliesBecause(makeHistory([...op(0, "add", 1), ...op(0, "read", null, "ok", 1)])), undefined);
});

test("per-element evidence is bounded: an evenly spaced sample past 20,000 elements, counts stay exact", () => {
  const records: RawOp[] = [];
  for (let i = 0; i < 25_000; i++) records.push(...op(0, "add", i));
  records.push(...op(1, "read", null, "ok", Array.from({ length: 24_999 }, (_, i) => i)));
  const result = checkSet(makeHistory(records));
  assert.equal(result.stats.counts.attempted, 25_000);
  assert.equal(result.evidence.elements.length, 20_000);
  assert.deepEqual(result.evidence.lost, [24_999]);
});

test("set: stops at the --time-limit deadline, read every 4096 operations: unknown, with the reason", () => {
  const adds: RawOp[] = Array.from({ length: 5000 }, (_, i) => op(i % 4, "add", i)).flat();
  const long = makeHistory([...adds, ...op(0, "read", null, "ok", Array.from({ length: 5000 }, (_, i) => i))]);
  const cut = guardedCheck("set", () => setChecker.configure({}, { timeLimitMs: 200, deadline: pastDeadline() }).check(long));
  assert.equal(cut.valid, "unknown");
  assert.equal(cut.summary, "the --time-limit of 0.2 s was reached while collecting the set's adds and reads, after 4096 operations");
  const ahead = setChecker.configure({}, { timeLimitMs: 200, deadline: manualDeadline().deadline }).check(long);
  assert.equal(ahead.valid, true);
  assert.deepEqual(ahead, checkSet(long));
});
