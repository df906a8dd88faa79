/** `hindsight collect etcd`: a real etcd cluster on this machine, run by the collector framework (../run.ts). */
import { choice, type Collector } from "../collectors.ts";
import { NEMESES, type NemesisKind } from "../nemesis.ts";
import { collect, type CollectIo, type CollectSummary } from "../run.ts";
import type { SystemSpec } from "../system.ts";
import type { EtcdClient } from "./client.ts";
import { EtcdCluster } from "./cluster.ts";
import { missingEtcdRequirements } from "./preflight.ts";
import { makeWorkload, WORKLOADS, type WorkloadName } from "./workloads.ts";

export interface CollectEtcdOptions {
  nodes: number;
  clients: number;
  workload: WorkloadName;
  nemesis: NemesisKind;
  timeSeconds: number;
  /** Operations per second, all clients together. */
  rate: number;
  serializableReads: boolean;
  seed: number;
  output: string;
  /** First member address; the others follow it. */
  firstAddress: string;
  /** A client gives up on a request after this long and records it as info (reads: fail). */
  opTimeoutMs: number;
}

export const COLLECT_DEFAULTS = { nodes: 5, clients: 5, workload: "register", nemesis: "isolate-leader", timeSeconds: 20, rate: 20, firstAddress: "127.0.0.1", opTimeoutMs: 1000 } as const;

export const ETCD_NEMESES = NEMESES.filter((n) => n !== "isolate-primary" && n !== "cut-client");

export function etcdSpec(options: CollectEtcdOptions): SystemSpec<EtcdClient> {
  return {
    name: "etcd",
    nemeses: ETCD_NEMESES,
    sourceAddresses: true,
    build: (dir) => ({
      system: new EtcdCluster({ dir, members: options.nodes, firstAddress: options.firstAddress, opTimeoutMs: options.opTimeoutMs }),
      workload: makeWorkload(options.workload, options.serializableReads),
    }),
  };
}

export async function collectEtcd(options: CollectEtcdOptions, io: CollectIo): Promise<CollectSummary> {
  return collect(etcdSpec(options), options, io);
}

export const etcdCollector: Collector = {
  name: "etcd",
  description: "a local etcd cluster (one member per loopback address), clients pinned to members, a nemesis; needs root, etcd and iptables",
  workloads: WORKLOADS,
  nemeses: ETCD_NEMESES,
  defaults: { ...COLLECT_DEFAULTS, time: COLLECT_DEFAULTS.timeSeconds },
  extraFlags: [{ flags: "--serializable-reads", description: "reads answered by the member alone, possibly stale (not linearizable)" }],
  missing: () => missingEtcdRequirements(),
  run: (flags, extra, io) =>
    collectEtcd({ ...flags, workload: choice(WORKLOADS, flags.workload), timeSeconds: flags.time, serializableReads: extra.serializableReads === true, opTimeoutMs: COLLECT_DEFAULTS.opTimeoutMs }, io),
};
