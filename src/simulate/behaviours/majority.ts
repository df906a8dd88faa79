/**
 * CP, like ZooKeeper: every operation goes through a leader that needs a majority, and takes
 * effect atomically at one moment between invocation and completion. Nodes cut off from a
 * majority refuse or time out, so the minority side's writes fail: linearizable, less available.
 */
import { dataOnly, noQuorum, type Behaviour, type Reply, type Request, type StoreContext, type Store } from "../behaviour.ts";
import type { DataWorkload } from "../workload.ts";

export const majority: Behaviour = {
  name: "majority",
  like: "ZooKeeper",
  description: "CP: a majority commits each operation; the minority side fails (linearizable)",
  guarantee: { linearizable: true },
  rejects: dataOnly,
  create(context, workload) {
    return majorityStore(context, workload as DataWorkload<unknown>);
  },
};

function majorityStore(context: StoreContext, workload: DataWorkload<unknown>): Store {
  const state = workload.init();
  let refused = 0;
  return {
    execute({ op, node }: Request): Reply {
      if (!context.cluster.seesMajority(node)) {
        refused++;
        return noQuorum(context, op);
      }
      const applied = workload.apply(state, op);
      // to the leader and back, then a round to a majority before acknowledging
      const latency = 3 * context.hop();
      return applied.ok ? { outcome: "ok", value: applied.value, latency } : { outcome: "fail", value: op.value, latency, error: "precondition" };
    },
    clusterChanged() {},
    nextTimer: () => Infinity,
    onTimer() {},
    settle() {},
    leader() {
      const leader = context.cluster.names.findIndex((_, n) => context.cluster.seesMajority(n));
      return leader < 0 ? undefined : leader;
    },
    report: () => ({ facts: { refusedWithoutQuorum: refused }, violations: [] }),
  };
}
