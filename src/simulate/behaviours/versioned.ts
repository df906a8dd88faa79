/**
 * A multi-version transactional store, replicated CP (a node cut off from the majority refuses),
 * the common core of the three transactional behaviours. A transaction runs from a start moment
 * (after its invocation) to a commit moment (now). Each micro-op happens at an instant, and the
 * instants decide the isolation level:
 * - `at-commit`: every micro-op at the commit instant (serializable, strictly);
 * - `snapshot`: every micro-op at the start instant (snapshot isolation);
 * - `latest`: micro-ops spread over the transaction, each read seeing what was committed at its
 *   own instant (read committed: non-repeatable reads, read skew).
 * A written key builds on the value the transaction last saw of it, and the commit aborts if
 * someone else committed that key since (first committer wins; under `latest` that is a row
 * lock), so what a transaction read of its own writes is exactly what it installs.
 */
import { noQuorum, TIMING, type Reply, type Request, type Store, type StoreContext } from "../behaviour.ts";
import type { MicroOp, TxnWorkload } from "../workload.ts";

export type ReadMode = "at-commit" | "snapshot" | "latest";

interface Version {
  at: number;
  value: unknown;
}

export function versionedStore(context: StoreContext, workload: TxnWorkload, reads: ReadMode): Store {
  const versions = new Map<number, Version[]>();
  const facts = { committed: 0, abortedOnConflict: 0, refusedWithoutQuorum: 0 };

  const valueAt = (key: number, at: number): unknown => {
    const list = versions.get(key);
    if (list === undefined) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.at <= at) return list[i]!.value;
    return undefined;
  };

  /** Versions older than the oldest moment any transaction can still read are dropped, keeping one. */
  const install = (key: number, value: unknown, at: number, horizon: number): void => {
    const list = versions.get(key) ?? [];
    list.push({ at, value });
    let drop = 0;
    while (drop + 1 < list.length && list[drop + 1]!.at <= horizon) drop++;
    if (drop > 0) list.splice(0, drop);
    versions.set(key, list);
  };

  return {
    execute({ op, node, invokedAt }: Request, now: number): Reply {
      if (!context.cluster.seesMajority(node)) {
        facts.refusedWithoutQuorum++;
        return noQuorum(context, op);
      }
      const micro = op.value as MicroOp[];
      const start = reads === "at-commit" ? now : invokedAt + Math.floor((now - invokedAt) / 2);
      const instant = (i: number): number => (reads === "latest" ? start + Math.floor(((now - start) * (i + 1)) / (micro.length + 1)) : start);
      /** This transaction's writes per key, applied in order on top of the key's base. */
      const writes = new Map<number, unknown[]>();
      /** Per written key, the instant of the value it builds on; per read key, the last instant read. */
      const baseAt = new Map<number, number>();
      const lastSeen = new Map<number, number>();
      const withOwn = (key: number, base: unknown): unknown => (writes.get(key) ?? []).reduce((value, arg) => workload.write(value, arg), base);
      const result: MicroOp[] = micro.map(([f, key, arg], i) => {
        if (f !== "r") {
          if (!baseAt.has(key)) baseAt.set(key, lastSeen.get(key) ?? instant(i));
          writes.set(key, [...(writes.get(key) ?? []), arg]);
          return [f, key, arg];
        }
        const base = baseAt.get(key);
        if (base !== undefined) return [f, key, workload.read(withOwn(key, valueAt(key, base)))];
        lastSeen.set(key, instant(i));
        return [f, key, workload.read(valueAt(key, instant(i)))];
      });
      for (const [key, at] of baseAt) {
        const list = versions.get(key);
        if (list !== undefined && list[list.length - 1]!.at > at) {
          facts.abortedOnConflict++;
          return { outcome: "fail", value: op.value, latency: context.hop(), error: "conflict" };
        }
      }
      for (const key of writes.keys()) install(key, withOwn(key, valueAt(key, now)), now, now - 2 * TIMING.maxHop);
      facts.committed++;
      return { outcome: "ok", value: result, latency: 2 * context.hop() };
    },
    clusterChanged() {},
    nextTimer: () => Infinity,
    onTimer() {},
    settle() {},
    leader: () => undefined,
    report: () => ({ facts, violations: [] }),
  };
}
