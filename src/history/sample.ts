import type { Operation } from "./op.ts";

/**
 * A deterministic sample of a stream of operations, for drawing: keeps every operation whose id
 * is a multiple of a stride that doubles whenever more than `limit` are kept.
 */
export class OperationSample {
  private kept: Operation[] = [];
  private stride = 1;
  seen = 0;

  constructor(private readonly limit: number) {}

  add(operation: Operation): void {
    this.seen++;
    if (operation.id % this.stride !== 0) return;
    this.kept.push(operation);
    if (this.kept.length > this.limit) {
      this.stride *= 2;
      this.kept = this.kept.filter((o) => o.id % this.stride === 0);
    }
  }

  /** The sample in invocation order, as History.operations is. */
  operations(): Operation[] {
    return [...this.kept].sort((a, b) => a.id - b.id);
  }
}

/**
 * A small stand-in for a history too large to hold, for choosing checkers: up to `perKind` of
 * each kind of operation (f, outcome, client or nemesis, shape of input and output), so that
 * "are there reads returning lists?" has the same answer as on the whole history.
 */
export class OperationProfile {
  private readonly kinds = new Map<string, number>();
  readonly operations: Operation[] = [];

  constructor(private readonly perKind = 64) {}

  add(o: Operation): void {
    const kind = `${typeof o.process}|${o.f}|${o.outcome}|${shape(o.input)}|${shape(o.output)}`;
    const n = this.kinds.get(kind) ?? 0;
    if (n >= this.perKind) return;
    this.kinds.set(kind, n + 1);
    this.operations.push(o);
  }
}

function shape(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length === 0 ? "" : shape(value[0])}]`;
  if (value === null) return "null";
  return typeof value;
}
