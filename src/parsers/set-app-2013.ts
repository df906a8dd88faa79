import { REPORTED_SET_SUMMARY, type ReportedSetSummary } from "../history/annotations.ts";
import type { RawOp } from "../history/op.ts";
import { findHeadLine, forEachLine } from "./lines.ts";
import type { Parser, ParseSink } from "./parser.ts";

/**
 * The 2013 Jepsen set-app console logs (the talk's `121 :error 9196`): one line per request,
 * `REQ\tSTATE\tLATENCY_MS\tBAR`, with error traces, foreign client logs, partition markers and a
 * closing summary between them. See docs/formats.md, "2013 set-app logs", for the mapping.
 *
 * The log has no clock and prints requests as they complete, so ops are buffered and laid out
 * on a synthetic timeline (`timeSynthetic: true`): request r is invoked at (r − first) × 100 ms
 * (the app wrote 10 elements a second) and completes its latency later.
 */
export const setApp2013Parser: Parser = {
  name: "set-app-2013",
  description: "2013 Jepsen set-app logs: REQ<TAB>:ok|:error<TAB>LATENCY_MS<TAB>BAR lines and a summary",
  sniff(head) {
    // Only lines with a printed :ok/:error vouch for the format; a bare "N<TAB>text" could be anything.
    if (findHeadLine(head, (text) => { const line = plain(text); return REQUEST.exec(line)?.[2] !== undefined || MARKERS.has(line); }) !== undefined) return true;
    return `no line of the form "121<TAB>:error<TAB>9196<TAB>██" or a partition marker in the first ${head.length} characters`;
  },
  async parse(file, sink) {
    const log = new SetAppLog(sink);
    await forEachLine(file, (line, n) => log.line(plain(line), n), sink.bytes);
    log.finish();
  },
};

const REQUEST_INTERVAL_NS = 100e6;
const MS = 1e6;
const ANSI = /\x1b\[[0-9;]*m/g;
const REQUEST = /^(\d+)[\t ]+(?::[\t ]*(ok|error)\b)?[\t ]*(\d+)?[\t ]*(\[?[█▏▎▍▌▋▊▉]+\]?)?$/u;
/** The earliest logs: `ELEMENT\t<error message>`, no latency. */
const REQUEST_WITH_MESSAGE = /^(\d+)\t([^:\t\d].*)$/;
const LOOKS_LIKE_REQUEST = /^\d+[\t ]+:/;
const FOREIGN = /^(?:\d+ \[[^\]]*\] (?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL) |(?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\b|\d{4}-\d\d-\d\d[ T]\d\d:\d\d)/;
const MARKERS = new Map<string, { f: string; phase: "begin" | "end" | "both" }>([
  ["Initiating partition.", { f: "start-partition", phase: "begin" }],
  ["Partitioned.", { f: "start-partition", phase: "end" }],
  ["Partition healed.", { f: "stop-partition", phase: "both" }],
]);
const RUN_INFO = /^(?:Run will take \d+ seconds|\d+ unrecoverable timeouts|Writes completed in [\d.]+ seconds|Collecting results\.)/;
type Figure = "total" | "acknowledged" | "survivors" | "ackRate" | "lossRate" | "unacknowledgedSuccessRate";
const FIGURES: [RegExp, Figure][] = [
  [/^(\d+) total$/, "total"],
  [/^(\d+) acknowledged$/, "acknowledged"],
  [/^(\d+) survivors$/, "survivors"],
  [/^([\d.]+) ack rate$/, "ackRate"],
  [/^([\d.]+) loss rate$/, "lossRate"],
  [/^([\d.]+) unacknowledged but successful rate$/, "unacknowledgedSuccessRate"],
];
const LOST = /^(\d+) acknowledged writes lost!/;
const UNACKNOWLEDGED = /^(\d+) unacknowledged writes found!/;
const ALL_SUCCEEDED = /^All (\d+) writes succeeded\./;
const ALL_ACKED_SUCCEEDED = /^all (\d+) acked writes out of (\d+) succeeded\./;
const ELEMENT_LIST = /^\d+(?:\s+(?:\d+|\.\.\.))*$/;

function plain(line: string): string {
  return line.replace(ANSI, "").trimEnd();
}

interface Request {
  element: number;
  outcome: "ok" | "info";
  /** The STATE column as printed: "ok", "error" or "" (kept as `sourceState`). */
  state: string;
  latencyMs: number | undefined;
  error: string[] | undefined;
  line: number;
}

/** A timed record waiting to be laid out: client invocations sort before completions, faults last. */
interface Timed {
  time: number;
  rank: number;
  seq: number;
  op: RawOp;
  line: number;
}

/** Reads a set-app log line by line, then lays the history out in time. */
class SetAppLog {
  private readonly requests: Request[] = [];
  private readonly faults: { f: string; phase: "begin" | "end" | "both"; line: number; after: number }[] = [];
  private readonly summary: ReportedSetSummary = {};
  /** The request whose error message and trace may follow. */
  private erroring: Request | undefined;
  /** Which printed element list the next lines fill. */
  private listing: "lost" | "unacknowledged" | undefined;

  constructor(private readonly sink: ParseSink) {}

  line(text: string, n: number): void {
    if (this.listing && ELEMENT_LIST.test(text)) return this.list(text, n);
    this.listing = undefined;
    const request = requestOf(text);
    if (request) {
      this.requests.push({ ...request, line: n });
      this.erroring = request.outcome === "info" ? this.requests[this.requests.length - 1] : undefined;
      return;
    }
    if (text.length === 0) {
      this.erroring = undefined;
      return;
    }
    const marker = MARKERS.get(text);
    if (marker) {
      this.faults.push({ ...marker, line: n, after: this.requests.length });
      this.erroring = undefined;
      return;
    }
    if (RUN_INFO.test(text) || this.summaryLine(text, n)) {
      this.erroring = undefined;
      return;
    }
    if (LOOKS_LIKE_REQUEST.test(text)) {
      const column = /^\d+[\t ]+/.exec(text)![0].length + 1;
      this.sink.bad(n, column, "expected a request line: REQ, then :ok, :error or nothing, then the latency in ms and a bar");
      return;
    }
    if (this.erroring && !FOREIGN.test(text)) {
      (this.erroring.error ??= []).push(text);
      return;
    }
    this.sink.ignored(n, "not a set-app line");
  }

  /** Reads a summary line into the reported figures; false if the line is not one. */
  private summaryLine(text: string, n: number): boolean {
    if (!this.readFigure(text)) return false;
    (this.summary.lines ??= []).push(n);
    return true;
  }

  private readFigure(text: string): boolean {
    const s = this.summary;
    for (const [pattern, key] of FIGURES) {
      const m = pattern.exec(text);
      if (m) {
        s[key] = Number(m[1]);
        return true;
      }
    }
    let m = LOST.exec(text);
    if (m) {
      s.lost = Number(m[1]);
      this.listing = "lost";
      return true;
    }
    if ((m = UNACKNOWLEDGED.exec(text))) {
      s.unacknowledgedFound = Number(m[1]);
      this.listing = "unacknowledged";
      return true;
    }
    if ((m = ALL_SUCCEEDED.exec(text))) {
      s.acknowledged = Number(m[1]);
      s.lost = 0;
      return true;
    }
    if ((m = ALL_ACKED_SUCCEEDED.exec(text))) {
      s.acknowledged = Number(m[1]);
      s.total = Number(m[2]);
      s.lost = 0;
      return true;
    }
    return false;
  }

  private list(text: string, n: number): void {
    const elements = text.split(/\s+/).filter((t) => t !== "...").map(Number);
    const elided = text.includes("...");
    if (this.listing === "lost") {
      this.summary.lostElements = [...(this.summary.lostElements ?? []), ...elements];
      this.summary.lostElided ||= elided;
    } else {
      this.summary.unacknowledgedElements = [...(this.summary.unacknowledgedElements ?? []), ...elements];
      this.summary.unacknowledgedElided ||= elided;
    }
    this.summary.lines!.push(n);
  }

  finish(): void {
    const timed = this.timeline();
    timed.sort((a, b) => a.time - b.time || a.rank - b.rank || a.seq - b.seq);
    for (const t of timed) this.sink.op(t.op, t.line, 1);
    if (this.summary.lines) this.sink.annotate(REPORTED_SET_SUMMARY, this.summary);
  }

  private timeline(): Timed[] {
    const timed: Timed[] = [];
    const push = (time: number, rank: number, op: Omit<RawOp, "time" | "timeSynthetic">, line: number): void =>
      void timed.push({ time, rank, seq: timed.length, op: { ...op, time, timeSynthetic: true } as RawOp, line });
    const first = this.requests.reduce((min, r) => Math.min(min, r.element), Infinity);
    /** Completion times in log order, so a marker can sit after the request printed before it. */
    const printedAt: number[] = [];
    for (const r of this.requests) {
      const invokedAt = (r.element - first) * REQUEST_INTERVAL_NS;
      const completedAt = invokedAt + (r.latencyMs ?? 0) * MS;
      printedAt.push(Math.max(completedAt, printedAt[printedAt.length - 1] ?? 0));
      const base = { f: "add", value: r.element, process: r.element, client: r.element % CLIENTS };
      push(invokedAt, 0, { ...base, type: "invoke" }, r.line);
      const completion: Omit<RawOp, "time" | "timeSynthetic"> = { ...base, type: r.outcome, sourceState: r.state };
      if (r.latencyMs !== undefined) completion.latencyMs = r.latencyMs;
      if (r.error) completion.error = r.error.join("\n");
      push(completedAt, 1, completion, r.line);
    }
    let partitioning = false;
    for (const fault of this.faults) {
      const at = fault.after === 0 ? 0 : printedAt[fault.after - 1]!;
      const base = { f: fault.f, process: "nemesis", value: null };
      if (fault.phase !== "end" || !partitioning) push(at, 2, { ...base, type: "invoke" }, fault.line);
      if (fault.phase !== "begin") push(at, 2, { ...base, type: "info" }, fault.line);
      partitioning = fault.phase === "begin";
    }
    const read = this.finalRead();
    if (read) {
      this.summary.readFromSummary = true;
      const end = timed.reduce((max, t) => Math.max(max, t.time), 0);
      const op = { f: "read", process: this.requests.reduce((max, r) => Math.max(max, r.element), 0) + 1, finalRead: true };
      push(end, 3, { ...op, type: "invoke", value: null }, read.line);
      push(end, 3, { ...op, type: "ok", value: read.elements }, read.line);
    }
    return timed;
  }

  /**
   * The survivors, when the summary pins them down: every request is in the log, the lost and
   * unacknowledged-found lists were printed in full, and the printed counts agree with the log
   * (acknowledged = the :ok requests). Survivors = (acknowledged − lost) ∪ unacknowledged found;
   * if the printed survivor count disagrees, no read is made up.
   */
  private finalRead(): { elements: number[]; line: number } | undefined {
    const s = this.summary;
    if (!s.lines || s.total === undefined || s.total !== this.requests.length) return undefined;
    if (s.lost === undefined || s.lostElided || (s.lost > 0 && s.lostElements?.length !== s.lost)) return undefined;
    if (s.unacknowledgedElided || (s.unacknowledgedFound ?? 0) !== (s.unacknowledgedElements?.length ?? 0)) return undefined;
    const lost = new Set(s.lostElements ?? []);
    const acknowledged = this.requests.filter((r) => r.outcome === "ok");
    if (s.acknowledged !== undefined && s.acknowledged !== acknowledged.length) return undefined;
    const survivors = new Set(acknowledged.filter((r) => !lost.has(r.element)).map((r) => r.element));
    for (const e of s.unacknowledgedElements ?? []) survivors.add(e);
    if (s.survivors !== undefined && s.survivors !== survivors.size) return undefined;
    return { elements: [...survivors].sort((a, b) => a - b), line: s.lines[0]! };
  }
}

/** The 2013 app's five clients: element i was written by client i mod 5. */
const CLIENTS = 5;

/** A request line's fields, or undefined if the line is not one. */
function requestOf(line: string): Omit<Request, "line"> | undefined {
  const m = REQUEST.exec(line);
  if (m) {
    const [, element, state, latency] = m;
    if (state === undefined && (latency === undefined || !/^\d+\t\t/.test(line))) return undefined;
    return { element: Number(element), outcome: state === "ok" ? "ok" : "info", state: state ?? "", latencyMs: latency === undefined ? undefined : Number(latency), error: undefined };
  }
  const early = REQUEST_WITH_MESSAGE.exec(line);
  if (early) return { element: Number(early[1]), outcome: "info", state: "error", latencyMs: undefined, error: [early[2]!.trim()] };
  return undefined;
}
