import type { Operation } from "../../history/op.ts";
import { show } from "./model.ts";

/** A read that returned an overwritten value: the write it returned and the later write it should have seen. */
export interface StaleRead {
  returned: Operation;
  missed: Operation;
}

/**
 * For a read of a read/write register that cannot be linearized: the write whose value it
 * returned, when every write of that value completed before another write (of a different value)
 * began, which itself completed before the read began. Real-time order alone then proves the
 * read stale; otherwise undefined.
 */
export function staleRead(read: Operation, operations: readonly Operation[]): StaleRead | undefined {
  if (read.f !== "read" || read.outcome !== "ok" || read.completeIndex === undefined) return undefined;
  const value = show(read.output);
  const writes = operations.filter((o) => o.f === "write" && o.outcome !== "fail" && o.invokeIndex < read.completeIndex!);
  const sources = writes.filter((w) => show(w.input) === value);
  // An info write of the value may take effect at any later time: nothing is proved then.
  if (sources.length === 0 || sources.some((w) => w.outcome !== "ok")) return undefined;
  const returned = sources.reduce((latest, w) => (w.completeIndex! > latest.completeIndex! ? w : latest));
  const missed = writes
    .filter((w) => w.outcome === "ok" && show(w.input) !== value && w.invokeIndex > returned.completeIndex! && w.completeIndex! < read.invokeIndex)
    .reduce<Operation | undefined>((latest, w) => (latest && latest.completeIndex! > w.completeIndex! ? latest : w), undefined);
  return missed && { returned, missed };
}
