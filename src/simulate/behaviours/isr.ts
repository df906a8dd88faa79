/** Kafka 0.8: writes wait for the in-sync replicas, but the ISR can shrink to the leader alone, and then its death loses acknowledged writes. */
import { dataOnly, type Behaviour } from "../behaviour.ts";
import type { DataWorkload } from "../workload.ts";
import { primaryStore } from "./primary.ts";

export const isr: Behaviour = {
  name: "isr",
  like: "Kafka 0.8",
  description: "writes wait for the in-sync replicas; the ISR shrinks to the leader under a partition, and an unclean election loses what it acknowledged",
  guarantee: { linearizable: false },
  rejects: dataOnly,
  create: (context, workload) => primaryStore(context, workload as DataWorkload<unknown>, true),
};
