/** Histories and verdicts built in memory for the report tests. */
import type { LinearizableResult } from "../../src/checkers/linearizability/linearizable.ts";
import type { CheckerOutcome } from "../../src/checkers/registry.ts";
import { statsChecker } from "../../src/checkers/stats/checker.ts";
import { composeVerdict, type FileVerdict } from "../../src/checkers/verdict.ts";
import type { History } from "../../src/history/history.ts";
import type { RawOp } from "../../src/history/op.ts";
import { historyOf } from "./helpers.ts";

/** `n` sequential writes per process over `processes` processes, 1 ms apart, each taking 2 ms; every 7th fails. */
export function timedHistory(n: number, processes = 3): History {
  const records: RawOp[] = [];
  for (let i = 0; i < n; i++) {
    const process = i % processes;
    const time = Math.floor(i / processes) * 3_000_000 + process * 1_000_000;
    records.push({ type: "invoke", f: "write", value: i, process, time });
    records.push({ type: i % 7 === 6 ? "fail" : "ok", f: "write", value: i, process, time: time + 2_000_000 });
  }
  return historyOf(records);
}

/** A correctness checker's result that found nothing wrong (stats alone never make a history valid). */
export const NOTHING_FOUND: LinearizableResult = { checker: "linearizable", valid: true, summary: "nothing wrong", evidence: { reason: "a fixture" }, stats: {} };

/** The stats checker's verdict on `history`, plus other checkers' results (by default one that found nothing). */
export function verdictOf(history: History, extra: CheckerOutcome[] = [NOTHING_FOUND]): FileVerdict {
  const choices = [{ checker: statsChecker, reason: "test" }];
  return composeVerdict(history, choices, [statsChecker.configure({}, {}).check(history), ...extra]);
}

/** A checker result that found something, as the linearizability checker reports it: the ops in focus. */
export function findingAt(ids: number[]): LinearizableResult {
  return { checker: "linearizable", valid: false, summary: `ops ${ids.join(", ")} cannot be ordered`, evidence: { reason: "a fixture" }, stats: {}, focus: ids };
}

export const HOSTILE = "<img src=x onerror=alert(1)>";
