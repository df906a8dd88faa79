/**
 * Facts parsers find beside the ops, stored in History.annotations under these keys, so
 * parsers and checkers agree on their shape without knowing each other.
 */

/** Key of how often times went backwards: `{completionsBeforeInvocation, recordsOutOfTimeOrder}` (see History.warnings). */
export const TIME_WENT_BACKWARDS = "timeWentBackwards";

/** Key of a set-app log's printed summary (the 2013 Jepsen logs). */
export const REPORTED_SET_SUMMARY = "reportedSetSummary";

/** The figures a 2013 set-app log printed at its end; absent fields were not printed. */
export interface ReportedSetSummary {
  total?: number;
  acknowledged?: number;
  survivors?: number;
  /** "N acknowledged writes lost!" and the elements listed (elided lists keep only what was printed). */
  lost?: number;
  lostElements?: number[];
  /** True when the printed list was elided ("first 6 ... last 6"). */
  lostElided?: boolean;
  unacknowledgedFound?: number;
  unacknowledgedElements?: number[];
  unacknowledgedElided?: boolean;
  ackRate?: number;
  lossRate?: number;
  unacknowledgedSuccessRate?: number;
  /** The summary's line numbers, for citing it. */
  lines?: number[];
  /** The summary pinned the survivors down, so the history's final read (`finalRead: true`) was made from it. */
  readFromSummary?: true;
}

/** Key of the count of lines a parser skipped because they were not records (foreign log lines). */
export const IGNORED_LINES = "ignoredLines";

/**
 * Key of how many invocations a parser made up: Jepsen-style histories may hold completions
 * with no invocation (Elle's ok-only histories, Knossos's nemesis :info records).
 */
export const SYNTHESIZED_INVOCATIONS = "synthesizedInvocations";

/** Key of how many process ids a parser made up for records that had no :process. */
export const SYNTHESIZED_PROCESSES = "synthesizedProcesses";

/** Key of how many records lacked :f and were read as transactions ("txn") from their micro-op value. */
export const ASSUMED_TXN_F = "assumedTxnF";

/** Key of how many nemesis `:info` records with nothing open were read as the start of a fault (older Jepsen). */
export const NEMESIS_INFO_AS_INVOKE = "nemesisInfoAsInvoke";

/** Key of what a Jepsen run's test.edn says about it (a store folder, store/<test>/<time>/). */
export const JEPSEN_TEST = "jepsenTest";

/** The facts of test.edn that help reading its run; absent fields were not there. */
export interface JepsenTest {
  /** The test.edn read. */
  file: string;
  name?: string;
  nodes?: string[];
  concurrency?: number;
  workload?: string;
}
