/**
 * Transactions for the list-append and rw-register workloads, and how an error ends one; pure,
 * so they are tested without a server. Micro-ops follow Elle: ["append", k, v], ["w", k, v],
 * ["r", k, null] on invoke and ["r", k, [..] | v | null] on completion.
 */
import type { Random } from "../../simulate/random.ts";
import type { Completion } from "../system.ts";

export type MicroOp = ["append" | "w", number, number] | ["r", number, unknown];

export const TXN_WORKLOADS = ["list-append", "rw-register"] as const;
export type TxnWorkload = (typeof TXN_WORKLOADS)[number];

/**
 * Few keys at a time and short transactions, so that concurrent ones touch the same keys. A key
 * is retired after `writesPerKey` writes and a fresh one takes its place (as Jepsen's workloads
 * do): rw-register's version order comes only from reads of a key never written, so fresh keys
 * keep such reads, and the anomalies they reveal, coming.
 */
export const TXN_SHAPE = { activeKeys: 3, writesPerKey: 4, maxOps: 4, readShare: 0.6 } as const;

/** Makes transactions whose written values are unique per key (1, 2, 3, …), as Elle needs to tell writes apart. */
export function txnGenerator(workload: TxnWorkload): (random: Random) => MicroOp[] {
  const active = Array.from({ length: TXN_SHAPE.activeKeys }, (_, k) => k);
  const written = new Map<number, number>();
  let nextKey = active.length;
  const writeF = workload === "list-append" ? "append" : "w";
  return (random) => {
    const length = 1 + random.int(TXN_SHAPE.maxOps);
    return Array.from({ length }, (): MicroOp => {
      const slot = random.int(active.length);
      const key = active[slot]!;
      if (random.float() < TXN_SHAPE.readShare) return ["r", key, null];
      const value = (written.get(key) ?? 0) + 1;
      written.set(key, value);
      if (value === TXN_SHAPE.writesPerKey) {
        written.delete(key);
        active[slot] = nextKey++;
      }
      return [writeF, key, value];
    });
  };
}

/** SQLSTATEs meaning the server rolled the transaction back: serialization failure and deadlock. */
const ROLLED_BACK = new Set(["40001", "40P01"]);

/**
 * How a transaction that threw ends. An error the server reported aborted the transaction (we
 * roll it back), so nothing was written: fail. Anything else - a timeout, a lost connection -
 * may have come after the commit reached the server: info.
 */
export function txnFailure(value: unknown, error: unknown): Completion {
  const code = sqlState(error);
  if (code !== undefined) return { type: "fail", value, error: ROLLED_BACK.has(code) ? `${code} ${message(error)}` : message(error) };
  return { type: "info", value, error: message(error) };
}

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  // pg gives server errors a five-character SQLSTATE; Node's own errors have codes like ECONNRESET
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith("E") ? code : undefined;
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
