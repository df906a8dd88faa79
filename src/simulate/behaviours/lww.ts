/**
 * Dynamo and Cassandra: any node coordinates a write, applies it locally and acknowledges at
 * once (consistency ONE), and ships it to the other replicas, which keep the value with the
 * latest client timestamp (µs), ties going to the larger value. Writes that cannot be delivered
 * wait as hints until the link heals. When a replica is unreachable the driver's request may
 * time out after it was applied and be retried transparently: idempotent writes do not mind,
 * counter increments are applied twice.
 */
import { type Behaviour, type Reply, type Request, type Store, type StoreContext } from "../behaviour.ts";
import type { DataWorkload, Invocation } from "../workload.ts";
import { ReplicationQueue, type Message } from "./replication-queue.ts";

/** Chance that a write coordinated while some replica is unreachable is retried by the driver. */
const RETRY_CHANCE = 0.3;

export const lww: Behaviour = {
  name: "lww",
  like: "Dynamo / Cassandra",
  description: "always writable; replicas keep the latest client timestamp (µs, ties by value); retried counter increments apply twice",
  guarantee: { linearizable: false },
  rejects(workload) {
    if (workload.kind !== "data" || workload.merge === undefined) return `${workload.name} has no last-write-wins form (use register, set, set-reads, counter, lww-rows or bank)`;
    return undefined;
  },
  create: (context, workload) => lwwStore(context, workload as DataWorkload<unknown>),
};

function lwwStore(context: StoreContext, workload: DataWorkload<unknown>): Store {
  const { cluster } = context;
  const merge = workload.merge!;
  const nodes = Array.from({ length: cluster.size }, (_, n) => n);
  const states = nodes.map(() => workload.init());
  const queue = new ReplicationQueue<Invocation>();
  let hints: Message<Invocation>[] = [];
  const facts = { retriedWrites: 0, hintsQueued: 0 };

  const deliver = (m: Message<Invocation>): void => {
    if (cluster.connected(m.from, m.to)) merge(states[m.to], m.op, m.ts);
    else {
      hints.push(m);
      facts.hintsQueued++;
    }
  };

  const handOffHints = (): void => {
    const waiting = hints;
    hints = [];
    for (const m of waiting) deliver(m);
  };

  const write = (op: Invocation, node: number, ts: number, now: number): void => {
    merge(states[node], op, ts);
    for (const n of nodes) if (n !== node) queue.push({ from: node, to: n, due: now + context.hop(), op, ts });
  };

  return {
    execute({ op, node, ts }: Request, now: number): Reply {
      queue.drain(now, deliver);
      if (workload.isRead(op)) return { outcome: "ok", value: workload.apply(states[node], op).value, latency: context.hop() };
      write(op, node, ts, now);
      const degraded = cluster.peers(node).length < cluster.size;
      if (degraded && context.rng.chance(RETRY_CHANCE)) {
        facts.retriedWrites++;
        write(op, node, ts, now);
        return { outcome: "ok", value: op.value, latency: 4 * context.hop() };
      }
      return { outcome: "ok", value: op.value, latency: context.hop() };
    },
    clusterChanged(now) {
      queue.drain(now, deliver);
      handOffHints();
    },
    nextTimer: () => Infinity,
    onTimer() {},
    settle() {
      queue.drain(Infinity, deliver);
      handOffHints();
    },
    leader: () => undefined,
    report() {
      const violations = facts.retriedWrites > 0 ? [`${facts.retriedWrites} write(s) applied twice by a transparent driver retry (harmless when idempotent, an over-count for counters)`] : [];
      return { facts, violations };
    },
  };
}
