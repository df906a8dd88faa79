/** Builders of small histories for the linearizability tests. */
import fc from "fast-check";
import { Pairer } from "../../src/history/pair.ts";
import type { History } from "../../src/history/history.ts";
import type { RawOp } from "../../src/history/op.ts";

export type Rec = [process: number, type: RawOp["type"], f: string, value?: unknown, key?: unknown];

/** A History from records written in order, like a file would hold them. */
export function historyOf(records: Rec[]): History {
  const pairer = new Pairer();
  for (const [process, type, f, value, key] of records) {
    const raw: RawOp = { type, f, process };
    if (value !== undefined) raw.value = value;
    if (key !== undefined) raw.key = key;
    pairer.add(raw);
  }
  return { file: "test", format: "ndjson", recordCount: records.length, operations: pairer.finish(), skipped: [], skippedCount: 0, warnings: [], annotations: {} };
}

/**
 * The brute-force oracle: tries every order of `ops` that respects real time (an op returning
 * before another's call goes first); an op of unknown outcome (info) may also never happen.
 */
export function everyOrder<O extends { call: number; ret: number; outcome: string }>(ops: readonly O[], initial: unknown, step: (state: unknown, op: O) => { next: unknown } | undefined): boolean {
  const done = ops.map(() => false);
  const extend = (state: unknown, left: number): boolean => {
    if (left === 0) return true;
    for (let i = 0; i < ops.length; i++) {
      if (done[i] || ops.some((o, j) => !done[j] && j !== i && o.ret < ops[i]!.call)) continue;
      done[i] = true;
      const after = step(state, ops[i]!);
      const fits = (after !== undefined && extend(after.next, left - 1)) || (ops[i]!.outcome === "info" && extend(state, left - 1));
      done[i] = false;
      if (fits) return true;
    }
    return false;
  };
  return extend(initial, ops.length);
}

/** A seeded xorshift: the same history for the same seed. */
export function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** What a model's op looks like: its f, the invocation's value and the completion's, from small random numbers. */
export type OpMaker = (kind: number, a: number, b: number) => { f: string; input?: unknown; output?: unknown; key?: unknown };
export interface Token {
  process: number;
  kind: number;
  a: number;
  b: number;
  outcome: "ok" | "fail" | "info";
}
export const token: fc.Arbitrary<Token> = fc.record({ process: fc.nat(3), kind: fc.nat(5), a: fc.nat(2), b: fc.nat(2), outcome: fc.constantFrom<Token["outcome"]>("ok", "ok", "ok", "fail", "info") });

/** Records from tokens: a token invokes on an idle process, or completes its open op; at most `max` invocations, some left open. */
export function records(tokens: Token[], make: OpMaker, max: number): Rec[] {
  const open = new Map<number, ReturnType<OpMaker>>();
  const crashed = new Set<number>();
  const out: Rec[] = [];
  let invoked = 0;
  for (const t of tokens) {
    const process = t.process + 4 * [...crashed].filter((p) => p % 4 === t.process).length;
    const pending = open.get(process);
    if (pending) {
      out.push([process, t.outcome, pending.f, t.outcome === "ok" ? (pending.output ?? pending.input) : pending.input, pending.key]);
      open.delete(process);
      if (t.outcome === "info") crashed.add(process);
    } else if (invoked < max) {
      const op = make(t.kind, t.a, t.b);
      out.push([process, "invoke", op.f, op.input, op.key]);
      open.set(process, op);
      invoked++;
    }
  }
  return out;
}
