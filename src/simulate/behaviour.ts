/**
 * How a replicated store behaves: where an operation runs, when it counts as done, and what a
 * fault does to it. Each behaviour is a small module named for the systems of the talk; the
 * simulator drives them through `Store`.
 */
import type { Cluster } from "./cluster.ts";
import type { Random } from "./random.ts";
import type { Guarantee } from "./truth.ts";
import type { Invocation, Workload } from "./workload.ts";

/** An operation arriving at the client's node. */
export interface Request {
  op: Invocation;
  /** The node the client is pinned to. */
  node: number;
  /** When the client invoked it, and the timestamp (µs) its clock gave the operation. */
  invokedAt: number;
  ts: number;
}

/**
 * What the store did. `ok`/`fail` reach the client after `latency` ns; `info` means the client
 * gives up waiting (whether the op took effect is the store's secret, kept in its facts).
 */
export type Reply = { outcome: "ok" | "fail"; value: unknown; latency: number; error?: string } | { outcome: "info"; error: string };

export interface StoreContext {
  cluster: Cluster;
  rng: Random;
  /** One network hop, ns. */
  hop(): number;
}

export interface Store {
  execute(request: Request, now: number): Reply;
  /** The nemesis changed the cluster (links, crashes, pauses, clocks). */
  clusterChanged(now: number): void;
  /** Time of the store's next internal event (failover, ISR shrink), or Infinity. */
  nextTimer(): number;
  onTimer(now: number): void;
  /** The cluster has healed: let replication catch up before the final reads. */
  settle(now: number): void;
  /** The node the nemesis should aim at (the primary or leader), when there is one. */
  leader(): number | undefined;
  /** What went wrong inside, counted (e.g. acknowledged writes discarded), as facts and sentences. */
  report(): { facts: Record<string, number>; violations: string[] };
}

export interface Behaviour {
  name: string;
  /** The system of the talk it imitates. */
  like: string;
  description: string;
  guarantee: Guarantee;
  /** Why it cannot run a workload, or undefined when it can. */
  rejects(workload: Workload): string | undefined;
  create(context: StoreContext, workload: Workload): Store;
}

/** Timeouts and delays shared by the behaviours, ns. */
export const TIMING = {
  /** A client gives up on a request after this long. */
  clientTimeout: 20_000_000,
  /** Sentinels, controllers and elections notice a dead primary after this long. */
  failoverAfter: 10_000_000,
  /** A leader drops an unreachable follower from its ISR after this long. */
  isrLag: 4_000_000,
  /** One network hop takes between these. */
  minHop: 100_000,
  maxHop: 1_000_000,
} as const;

/** Behaviours of data workloads say so once. */
export function dataOnly(workload: Workload): string | undefined {
  return workload.kind === "data" ? undefined : `${workload.name} is transactional; use serializable-txn, snapshot-txn or read-committed-txn`;
}

/** A rejected request on a node that cannot reach a majority: refused (fail) or left hanging (info), as clients see both. */
export function noQuorum(context: StoreContext, op: Invocation): Reply {
  if (context.rng.chance(0.5)) return { outcome: "info", error: "timeout" };
  return { outcome: "fail", value: op.value, latency: context.hop(), error: "no-quorum" };
}

/** Transactional behaviours run the transactional workloads only. */
export function txnOnly(workload: Workload): string | undefined {
  return workload.kind === "txn" ? undefined : `${workload.name} is not transactional; use list-append or rw-register`;
}
