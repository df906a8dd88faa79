import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import { IndependentDetector, tupleOf } from "../independent/split.ts";
import { ColumnsBuilder, type OpColumns } from "./columns.ts";
import type { LinOp } from "./model.ts";

/** What the checker plans from: a history's client ops as columns, however they were read (held or streamed). */
export interface LinSource {
  format: string;
  /** Client ops in invocation (id) order, each with its `[key value]` tuple's key when it has one. */
  client: OpColumns;
  /** Why the ops are Jepsen independent keys (IndependentDetector), or undefined. */
  independent: string | undefined;
}

/** Gathers a source one operation at a time, in any order (a stream's is completion order). */
export class SourceBuilder {
  private readonly columns: ColumnsBuilder;
  private readonly detector = new IndependentDetector();

  /** `expected`: the ops to come, when known (a held history's). */
  constructor(expected?: number) {
    this.columns = new ColumnsBuilder(expected);
  }

  add(o: Operation): void {
    if (!isClientProcess(o.process)) return;
    const tuple = tupleOf(o);
    this.detector.add(o, tuple);
    this.columns.add(o, o.completeIndex ?? NaN, o.invoke.key, tuple);
  }

  finish(format: string): LinSource {
    return { format, client: this.columns.finish("by id"), independent: this.detector.because };
  }
}

export function sourceOf(history: History): LinSource {
  const builder = new SourceBuilder(history.operations.length);
  for (const o of history.operations) builder.add(o);
  return builder.finish(history.format);
}

export function toLinOp(o: Operation): LinOp {
  const op: LinOp = { id: o.id, process: o.process, f: o.f, input: o.input, output: o.output, outcome: o.outcome, call: o.call, ret: o.ret };
  if (o.invoke.key !== undefined) op.key = o.invoke.key;
  return op;
}
