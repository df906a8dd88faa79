/**
 * A multi-version transactional store, replicated CP (a node cut off from the majority refuses),
 * the common core of the three transactional behaviours. A transaction runs from a start moment
 * (after its invocation) to a commit moment (now); how it reads and whether it may commit decide
 * the isolation level:
 * - reads `at-commit`: everything at one instant, the commit (serializable, strictly);
 * - reads `snapshot`: all from the start instant, plus first-committer-wins (snapshot isolation);
 * - reads `latest`: each read sees what was committed at its own instant, no write conflicts
 *   checked (read committed: non-repeatable reads, lost updates).
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
      /** This transaction's writes per key, applied in order on top of whatever base a read or the commit uses. */
      const writes = new Map<number, unknown[]>();
      const withOwn = (key: number, base: unknown): unknown => (writes.get(key) ?? []).reduce((value, arg) => workload.write(value, arg), base);
      const result: MicroOp[] = micro.map(([f, key, arg], i) => {
        if (f !== "r") {
          writes.set(key, [...(writes.get(key) ?? []), arg]);
          return [f, key, arg];
        }
        const readAt = reads === "latest" ? start + Math.floor(((now - start) * (i + 1)) / (micro.length + 1)) : start;
        return [f, key, workload.read(withOwn(key, valueAt(key, readAt)))];
      });
      if (reads === "snapshot") {
        for (const key of writes.keys()) {
          const list = versions.get(key);
          if (list !== undefined && list[list.length - 1]!.at > start) {
            facts.abortedOnConflict++;
            return { outcome: "fail", value: op.value, latency: context.hop(), error: "conflict" };
          }
        }
      }
      // writes land on the latest committed value (row locks), so no committed write is overwritten blindly
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
