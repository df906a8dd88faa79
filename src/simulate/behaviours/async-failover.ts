/** Redis with Sentinel: asynchronous replication and failover; split brain drops acknowledged writes. */
import { dataOnly, type Behaviour } from "../behaviour.ts";
import type { DataWorkload } from "../workload.ts";
import { primaryStore } from "./primary.ts";

export const asyncFailover: Behaviour = {
  name: "async-failover",
  like: "Redis with Sentinel",
  description: "a primary acknowledges at once and replicates later; failover and split brain drop acknowledged writes",
  guarantee: { linearizable: false },
  rejects: dataOnly,
  create: (context, workload) => primaryStore(context, workload as DataWorkload<unknown>, false),
};
