/**
 * A primary with replicas and automatic failover, the shape shared by Redis with Sentinel and
 * Kafka 0.8. Clients reach the primary from the node they are pinned to. When the primary loses
 * the majority for `failoverAfter`, the majority side promotes the most up-to-date replica it
 * can reach; the old primary, if still running, keeps serving its side of the partition (split
 * brain) until it can see the new primary again, and then throws its own writes away.
 *
 * `synchronous: false` (async-failover): a write is acknowledged at once and shipped to the
 * replicas later, so a failover also drops what was still in flight.
 * `synchronous: true` (isr): a write is acknowledged once every in-sync replica has it; the
 * leader drops unreachable followers from the ISR after `isrLag`, and may end up acknowledging
 * alone; an election that finds no ISR member on the majority side picks any replica (unclean).
 */
import { noQuorum, TIMING, type Reply, type Request, type Store, type StoreContext } from "../behaviour.ts";
import type { DataWorkload, Invocation } from "../workload.ts";
import { ReplicationQueue, type Message } from "./replication-queue.ts";

export function primaryStore(context: StoreContext, workload: DataWorkload<unknown>, synchronous: boolean): Store {
  const { cluster } = context;
  const nodes = Array.from({ length: cluster.size }, (_, n) => n);
  const states = nodes.map(() => workload.init());
  /** Writes each node holds, counted along its primary's line: differences are what a failover loses. */
  const log = nodes.map(() => 0);
  const following = nodes.map(() => 0);
  const stale = nodes.map(() => false);
  const queue = new ReplicationQueue<Invocation>();
  let primary = 0;
  /** A deposed primary still serving its side of a partition, or −1. */
  let zombie = -1;
  let zombieWrites = 0;
  let inSync = new Set(nodes);
  let shrinkAt = Infinity;
  let failoverAt = Infinity;
  const facts = { failovers: 0, uncleanElections: 0, writesLostInFailover: 0, splitBrainWritesDiscarded: 0, writesWithoutFullIsr: 0 };

  const deliver = (m: Message<Invocation>): void => {
    if (following[m.to] !== m.from || stale[m.to]) return;
    if (!cluster.connected(m.from, m.to)) {
      stale[m.to] = true;
      return;
    }
    workload.apply(states[m.to], m.op);
    log[m.to]!++;
  };

  const resync = (node: number): void => {
    states[node] = workload.clone(states[primary]);
    log[node] = log[primary]!;
    following[node] = primary;
    stale[node] = false;
    inSync.add(node);
  };

  /** Reconnect whoever can reach the primary again; demote the zombie once it sees the primary. */
  const reconcile = (): void => {
    if (zombie >= 0 && (cluster.crashed[zombie] || cluster.connected(zombie, primary))) {
      facts.splitBrainWritesDiscarded += zombieWrites;
      zombie = -1;
      zombieWrites = 0;
    }
    for (const n of nodes) {
      if (n === primary || n === zombie || !cluster.connected(n, primary)) continue;
      if (stale[n] || following[n] !== primary) resync(n);
    }
  };

  const failover = (now: number): void => {
    const candidates = nodes.filter((n) => cluster.seesMajority(n));
    if (candidates.length === 0) {
      failoverAt = now + TIMING.failoverAfter;
      return;
    }
    const clean = candidates.filter((n) => inSync.has(n));
    const pool = synchronous && clean.length > 0 ? clean : candidates;
    if (synchronous && clean.length === 0) facts.uncleanElections++;
    const chosen = pool.reduce((best, n) => (log[n]! > log[best]! ? n : best));
    facts.failovers++;
    if (following[chosen] === primary) facts.writesLostInFailover += Math.max(0, log[primary]! - log[chosen]!);
    zombie = cluster.crashed[primary] ? -1 : primary;
    zombieWrites = 0;
    primary = chosen;
    following[chosen] = chosen;
    inSync = new Set([chosen]);
    reconcile();
  };

  const serverFor = (node: number): number => {
    if (cluster.connected(node, primary)) return primary;
    if (zombie >= 0 && cluster.connected(node, zombie)) return zombie;
    return -1;
  };

  return {
    execute({ op, node }: Request, now: number): Reply {
      queue.drain(now, deliver);
      const server = serverFor(node);
      if (server < 0) return noQuorum(context, op);
      const hops = node === server ? 1 : 2;
      const applied = workload.apply(states[server], op);
      if (workload.isRead(op)) return { outcome: "ok", value: applied.value, latency: hops * context.hop() };
      if (!applied.ok) return { outcome: "fail", value: op.value, latency: hops * context.hop(), error: "precondition" };
      log[server]!++;
      if (server === zombie) zombieWrites++;
      if (!synchronous) {
        for (const n of nodes) if (n !== server && following[n] === server) queue.push({ from: server, to: n, due: now + context.hop(), op, ts: 0 });
        return { outcome: "ok", value: applied.value, latency: hops * context.hop() };
      }
      for (const n of inSync) {
        if (n === server || !cluster.connected(server, n)) continue;
        workload.apply(states[n], op);
        log[n]!++;
      }
      // an unreachable follower still in the ISR holds the acknowledgement until it is dropped
      if (shrinkAt < Infinity) return { outcome: "info", error: "timeout" };
      if (inSync.size === 1) facts.writesWithoutFullIsr++;
      return { outcome: "ok", value: applied.value, latency: (hops + 1) * context.hop() };
    },
    clusterChanged(now) {
      for (const n of nodes) if (n !== primary && following[n] === primary && !cluster.connected(n, primary)) stale[n] = true;
      if (synchronous && shrinkAt === Infinity && [...inSync].some((n) => !cluster.connected(primary, n))) shrinkAt = now + TIMING.isrLag;
      if (cluster.seesMajority(primary)) failoverAt = Infinity;
      else if (failoverAt === Infinity) failoverAt = now + TIMING.failoverAfter;
      reconcile();
    },
    nextTimer: () => Math.min(shrinkAt, failoverAt),
    onTimer(now) {
      if (now >= shrinkAt) {
        shrinkAt = Infinity;
        inSync = new Set([...inSync].filter((n) => n === primary || cluster.connected(primary, n)));
      }
      if (now >= failoverAt) {
        failoverAt = Infinity;
        failover(now);
      }
    },
    settle(now) {
      queue.drain(Infinity, deliver);
      this.clusterChanged(now);
    },
    leader: () => primary,
    report() {
      const violations: string[] = [];
      if (facts.splitBrainWritesDiscarded > 0) violations.push(`${facts.splitBrainWritesDiscarded} write(s) acknowledged by a deposed primary during split brain were discarded when it rejoined`);
      if (facts.writesLostInFailover > 0) violations.push(`${facts.writesLostInFailover} write(s) on the old primary never reached the replica promoted in its place`);
      if (facts.uncleanElections > 0) violations.push(`${facts.uncleanElections} unclean election(s): no in-sync replica could be leader`);
      return { facts, violations };
    },
  };
}
