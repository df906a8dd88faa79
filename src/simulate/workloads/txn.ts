/**
 * Transactions of 1–4 micro-ops over a few hot keys (Elle's workloads): list-append appends
 * fresh values per key and reads whole lists; rw-register writes fresh values and reads them.
 * Keys retire after a bounded number of writes so lists stay short on long runs.
 */
import type { Expectation, Guarantee } from "../truth.ts";
import type { Invocation, InvokeContext, MicroOp, Observer, TxnWorkload, WorkloadDefinition } from "../workload.ts";

const ACTIVE_KEYS = 5;
const WRITES_PER_KEY = 32;

function txnWorkload(name: string, writeF: "append" | "w"): TxnWorkload {
  const active = Array.from({ length: ACTIVE_KEYS }, (_, i) => i);
  let nextKey = ACTIVE_KEYS;
  const written = new Map<number, number>();
  return {
    kind: "txn",
    name,
    next({ rng }: InvokeContext): Invocation {
      const ops: MicroOp[] = [];
      const length = 1 + rng.int(4);
      for (let i = 0; i < length; i++) {
        const slot = rng.int(ACTIVE_KEYS);
        const key = active[slot]!;
        if (rng.chance(0.5)) {
          ops.push(["r", key, null]);
          continue;
        }
        const n = (written.get(key) ?? 0) + 1;
        written.set(key, n);
        ops.push([writeF, key, n]);
        if (n >= WRITES_PER_KEY) {
          written.delete(key);
          active[slot] = nextKey++;
        }
      }
      return { f: "txn", value: ops };
    },
    write: (old, arg) => (writeF === "append" ? [...((old as number[] | undefined) ?? []), arg] : arg),
    read: (value) => value ?? null,
    finalReads: () => [],
    observer: () => new TxnObserver(),
  };
}

/** Transactional truth comes from the store's guarantee alone: anomalies need Elle's inference to show. */
class TxnObserver implements Observer {
  invoked(): void {}
  completed(): void {}
  findings(guarantee: Guarantee): { facts: Record<string, unknown>; expect: Expectation[] } {
    if (guarantee.txnModel === undefined) return { facts: {}, expect: [] };
    return { facts: {}, expect: [{ checker: "txn", consistencyModel: guarantee.txnModel, valid: true, because: `the store guarantees ${guarantee.txnModel}` }] };
  }
}

export const listAppend: WorkloadDefinition = {
  name: "list-append",
  description: "transactions appending fresh values to lists and reading them (Elle)",
  create: () => txnWorkload("list-append", "append"),
};

export const rwRegister: WorkloadDefinition = {
  name: "rw-register",
  description: "transactions writing fresh values to registers and reading them (Elle)",
  create: () => txnWorkload("rw-register", "w"),
};
