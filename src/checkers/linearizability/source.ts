import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import { IndependentDetector, tupleOf } from "../independent/split.ts";
import { ColumnsBuilder, type OpColumns } from "./columns.ts";
import type { LinOp } from "./model.ts";

/**
 * Ops up to which a held history's client ops are also given as objects (`LinSource.held`), and
 * a model's partitions go to their searches as the objects the partition made, not as columns:
 * making a small history columns only to read them back costs more than its search (a kv key of
 * 40 ops), and objects held while parts wait are bounded (~0.2 KB an op).
 */
export const HELD_AS_OBJECTS_UP_TO = 100_000;

/** What the checker plans from: a history's client ops as columns, however they were read (held or streamed). */
export interface LinSource {
  format: string;
  /** Client ops in invocation (id) order, each with its `[key value]` tuple's key when it has one; for a small held history, made when first read. */
  readonly client: OpColumns;
  /** Why the ops are Jepsen independent keys (IndependentDetector), or undefined. */
  independent: string | undefined;
  /** A small held history's client ops (HELD_AS_OBJECTS_UP_TO) as the search's objects and as the history has them, in the order of `client`'s rows. */
  held?: HeldOps;
}

export interface HeldOps {
  ops: readonly LinOp[];
  operations: readonly Operation[];
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
  const columns = (): LinSource => {
    const builder = new SourceBuilder(history.operations.length);
    for (const o of history.operations) builder.add(o);
    return builder.finish(history.format);
  };
  if (history.operations.length > HELD_AS_OBJECTS_UP_TO) return columns();
  // The objects the plan and the searches read; columns only if something asks for them (independent-key tuples).
  const detector = new IndependentDetector();
  const ops: LinOp[] = [];
  const operations: Operation[] = [];
  for (const o of history.operations) {
    if (!isClientProcess(o.process)) continue;
    detector.add(o);
    ops.push(toLinOp(o));
    operations.push(o);
  }
  let made: OpColumns | undefined;
  return {
    format: history.format,
    get client() {
      return (made ??= columns().client);
    },
    independent: detector.because,
    held: { ops, operations },
  };
}

export function toLinOp(o: Operation): LinOp {
  const op: LinOp = { id: o.id, process: o.process, f: o.f, input: o.input, output: o.output, outcome: o.outcome, call: o.call, ret: o.ret };
  if (o.invoke.key !== undefined) op.key = o.invoke.key;
  return op;
}
