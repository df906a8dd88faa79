/**
 * A single register: reads, writes and (for cas-register) compare-and-sets. Every written value
 * is fresh, so a read names the one write it saw, which lets the observer prove staleness.
 */
import type { Guarantee } from "../truth.ts";
import type { Applied, DataWorkload, Invocation, InvokeContext, Observer, WorkloadDefinition } from "../workload.ts";
import { StaleReadObserver } from "./stale-reads.ts";

export interface RegisterState {
  value: number | null;
  /** Timestamp (µs) of the write that set it, for last-write-wins merges. */
  ts: number;
}

function registerWorkload(name: string, withCas: boolean): DataWorkload<RegisterState> {
  let nextValue = 1;
  /** The last value each client saw, as the old value of its next cas. */
  const lastSeen: (number | null)[] = [];
  return {
    kind: "data",
    name,
    init: () => ({ value: null, ts: -Infinity }),
    clone: (s) => ({ ...s }),
    next({ rng, slot }: InvokeContext): Invocation {
      const roll = rng.float();
      if (roll < 0.5) return { f: "read", value: null };
      if (!withCas || roll < 0.75) return { f: "write", value: nextValue++ };
      return { f: "cas", value: [lastSeen[slot] ?? null, nextValue++] };
    },
    isRead: (op) => op.f === "read",
    apply(state, op): Applied {
      if (op.f === "read") return { ok: true, value: state.value };
      if (op.f === "write") {
        state.value = op.value as number;
        return { ok: true, value: op.value };
      }
      const [from, to] = op.value as [number | null, number];
      if (state.value !== from) return { ok: false, value: op.value };
      state.value = to;
      return { ok: true, value: op.value };
    },
    merge: withCas
      ? undefined
      : (state, op, ts) => {
          const value = op.value as number;
          if (ts > state.ts || (ts === state.ts && value > (state.value ?? -Infinity))) {
            state.value = value;
            state.ts = ts;
          }
        },
    finalReads: () => [],
    observer(): Observer {
      const stale = new StaleReadObserver();
      return {
        invoked(slot, op, index, time) {
          stale.invoked(slot, op, index, time);
        },
        completed(slot, op) {
          if (op.outcome === "ok") lastSeen[slot] = op.f === "read" ? (op.output as number | null) : op.f === "write" ? (op.input as number) : (op.input as [number, number])[1];
          stale.completed(slot, op);
        },
        findings: (guarantee: Guarantee) => stale.findings(guarantee),
      };
    },
  };
}

export const register: WorkloadDefinition = {
  name: "register",
  description: "one register, reads and writes of fresh values (linearizability)",
  create: () => registerWorkload("register", false),
};

export const casRegister: WorkloadDefinition = {
  name: "cas-register",
  description: "one register, reads, writes and cas [old, new] (linearizability)",
  create: () => registerWorkload("cas-register", true),
};
