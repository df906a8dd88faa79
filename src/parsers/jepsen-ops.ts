import { ASSUMED_TXN_F, NEMESIS_INFO_AS_INVOKE, SYNTHESIZED_INVOCATIONS, SYNTHESIZED_PROCESSES } from "../history/annotations.ts";
import { isClientProcess, OP_TYPES, type OpType, type ProcessId, type RawOp } from "../history/op.ts";
import { schemaError } from "../history/schema.ts";
import { showValue } from "../history/show.ts";
import type { ParseSink } from "./parser.ts";

/**
 * Turns Jepsen-style op maps (from EDN, elle-cli JSON or Jepsen logs) into canonical records,
 * filling the gaps real histories have (docs/formats.md, "Jepsen op mapping"):
 * - an `:info` from a non-client process (the nemesis) with nothing open on that process is the
 *   start of a fault: older Jepsen logged `:info` both when a fault began and when it ended, so
 *   it is read as the invocation (`type: "invoke"`, `sourceType: "info"`), keeping one record
 *   per record written and the file's indices;
 * - any other completion with no open invocation on its process (Elle's ok-only histories) gets
 *   an invocation made up just before it (same f, process, value and time; `synthesized: true`);
 * - a record with no `:process` gets a fresh negative process id on invoke, and a completion
 *   with no `:process` completes the earliest such open invocation with the same f;
 * - a record with no `:f` whose value is a list of micro-ops is a transaction, f "txn".
 * Once an invocation has been made up before a completion that carried an `:index`, the file's
 * indices no longer fit: from there on each record's `:index` is kept as `sourceIndex` and the
 * history numbers records itself.
 */
export class JepsenOps {
  /** Open invocations by process, for spotting completions that have none. */
  private readonly open = new Set<ProcessId>();
  /** Open invocations that had no :process, oldest first. */
  private readonly anonymous: { process: number; f: string }[] = [];
  private nextAnonymous = -1;
  private renumbering = false;
  private synthesizedInvocations = 0;
  private faultStarts = 0;
  private assumedTxn = 0;

  constructor(private readonly sink: ParseSink) {}

  /** Adds one record (a fresh object this class may complete in place) as read at line:column; one that cannot be an op is reported as bad. */
  add(record: unknown, line: number, column: number): void {
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      this.sink.bad(line, column, "expected an op map such as {:type :invoke, :f :read, :value nil, :process 0}");
      return;
    }
    const fields = record as Record<string, unknown>;
    const type = fields.type;
    if (typeof type !== "string" || !OP_TYPES.includes(type as OpType)) {
      this.sink.bad(line, column, `:type must be one of :invoke, :ok, :fail or :info, found ${type === undefined ? "nothing" : showValue(type)}`);
      return;
    }
    const f = this.fOf(fields);
    if (f === undefined) {
      this.sink.bad(line, column, "missing :f (the operation's function, e.g. :read), and the value is not a list of micro-ops");
      return;
    }
    const process = this.processOf(fields, type as OpType, f);
    // The record was made for us by the reader: completing it in place saves a copy per op.
    const op = Object.assign(fields, { f, process }) as RawOp;
    if (this.renumbering && op.index !== undefined) {
      op.sourceIndex = op.index;
      delete op.index;
    }
    const problem = schemaError(op);
    if (problem !== undefined) {
      this.sink.bad(line, column, problem);
      return;
    }
    if (this.open.has(process) && type !== "invoke") {
      this.open.delete(process);
    } else if (type === "invoke") {
      this.open.add(process);
    } else if (type === "info" && !isClientProcess(process)) {
      // Jepsen's older nemesis logged :info both when a fault began and when it was done.
      op.type = "invoke";
      op.sourceType = "info";
      this.faultStarts++;
      this.open.add(process);
    } else {
      this.synthesizeInvocation(op, line, column);
    }
    this.sink.op(op, line, column);
  }

  /** Reports what was made up, as annotations. */
  finish(): void {
    if (this.synthesizedInvocations > 0) this.sink.annotate(SYNTHESIZED_INVOCATIONS, this.synthesizedInvocations);
    if (this.nextAnonymous < -1) this.sink.annotate(SYNTHESIZED_PROCESSES, -1 - this.nextAnonymous);
    if (this.faultStarts > 0) this.sink.annotate(NEMESIS_INFO_AS_INVOKE, this.faultStarts);
    if (this.assumedTxn > 0) this.sink.annotate(ASSUMED_TXN_F, this.assumedTxn);
  }

  private fOf(fields: Record<string, unknown>): string | undefined {
    const f = fields.f;
    if (typeof f === "string" && f.length > 0) return f;
    if (typeof f === "number") return String(f);
    if (f === undefined && Array.isArray(fields.value) && fields.value.length > 0 && fields.value.every(Array.isArray)) {
      this.assumedTxn++;
      return "txn";
    }
    return undefined;
  }

  private processOf(fields: Record<string, unknown>, type: OpType, f: string): ProcessId {
    const process = fields.process;
    if (process !== undefined && process !== null) return process as ProcessId;
    if (type !== "invoke") {
      const i = this.anonymous.findIndex((a) => a.f === f);
      if (i !== -1) return this.anonymous.splice(i, 1)[0]!.process;
      return this.nextAnonymous--;
    }
    const fresh = this.nextAnonymous--;
    this.anonymous.push({ process: fresh, f });
    return fresh;
  }

  private synthesizeInvocation(completion: RawOp, line: number, column: number): void {
    this.synthesizedInvocations++;
    if (completion.index !== undefined) {
      this.renumbering = true;
      completion.sourceIndex = completion.index;
      delete completion.index;
    }
    const invocation: RawOp = { type: "invoke", f: completion.f, process: completion.process, synthesized: true };
    if (completion.value !== undefined) invocation.value = completion.value;
    if (completion.time !== undefined) invocation.time = completion.time;
    this.sink.op(invocation, line, column);
  }
}
