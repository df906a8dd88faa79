/** `hindsight collect zookeeper`: a ZooKeeper ensemble on this machine, run by the collector framework (../run.ts). */
import { choice, type Collector } from "../collectors.ts";
import { ETCD_NEMESES } from "../etcd/collect.ts";
import { missingRequirements } from "../preflight.ts";
import { collect } from "../run.ts";
import { ZK_JAR, ZookeeperEnsemble } from "./ensemble.ts";
import { makeZkWorkload, setupZnodes, ZK_WORKLOADS } from "./workloads.ts";

export const zookeeperCollector: Collector = {
  name: "zookeeper",
  description: "a ZooKeeper 3.8 ensemble (one JVM per loopback address), node-zookeeper-client sessions pinned to members, a nemesis; needs root, zookeeper (and Java) and iptables",
  workloads: ZK_WORKLOADS,
  nemeses: ETCD_NEMESES,
  defaults: { nodes: 5, clients: 5, workload: "set", nemesis: "isolate-leader", rate: 20, time: 30, firstAddress: "127.0.0.1" },
  extraFlags: [],
  missing: () => missingRequirements([{ command: ZK_JAR, how: "apt-get install -y zookeeper", file: true }, { command: "java", how: "apt-get install -y zookeeper (it depends on Java)" }]),
  run: (flags, _extra, io) => {
    const workload = choice(ZK_WORKLOADS, flags.workload);
    return collect(
      {
        name: "zookeeper",
        nemeses: zookeeperCollector.nemeses,
        sourceAddresses: true,
        build: (dir) => ({ system: new ZookeeperEnsemble(dir, flags.nodes, flags.firstAddress, flags.clients, (client) => setupZnodes(workload, client)), workload: makeZkWorkload(workload) }),
      },
      { ...flags, timeSeconds: flags.time },
      io,
    );
  },
};
