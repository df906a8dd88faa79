/**
 * Faults on a schedule. Each fault is a pair of nemesis operations in the history (invoke +
 * info with what was done): start-partition/stop-partition, pause/resume, kill/restart,
 * bump-clock/reset-clock. Faults aim at the store's leader when it has one, as Jepsen's
 * nemeses aim at primaries: that is where the interesting failures are.
 */
import type { Cluster } from "./cluster.ts";
import type { Random } from "./random.ts";

export interface Fault {
  name: string;
  description: string;
  startF: string;
  stopF: string;
  /** Breaks the cluster; returns the invoke value and the info value (what was done). */
  start(cluster: Cluster, rng: Random, leader: number | undefined): { value: unknown; done: string };
  /** Undoes it; returns the info value. */
  stop(cluster: Cluster): string;
}

const target = (cluster: Cluster, rng: Random, leader: number | undefined): number => leader ?? rng.int(cluster.size);
const others = (cluster: Cluster, node: number): number[] => cluster.names.map((_, n) => n).filter((n) => n !== node);

function healed(cluster: Cluster): string {
  cluster.heal();
  return "fully connected";
}

const partition: Fault = {
  name: "partition",
  description: "majority/minority halves, the leader on the minority side",
  startF: "start-partition",
  stopF: "stop-partition",
  start(cluster, rng, leader) {
    const first = target(cluster, rng, leader);
    const rest = rng.shuffled(others(cluster, first));
    const minority = [first, ...rest.slice(0, cluster.size - cluster.majority - 1)].sort((a, b) => a - b);
    const majoritySide = rest.slice(cluster.size - cluster.majority - 1).sort((a, b) => a - b);
    cluster.partition([minority, majoritySide]);
    return { value: "majority-minority", done: `cut ${cluster.describeNodes(minority)} / ${cluster.describeNodes(majoritySide)}` };
  },
  stop: healed,
};

const bridge: Fault = {
  name: "bridge",
  description: "two halves that only one node in the middle can reach both of",
  startF: "start-partition",
  stopF: "stop-partition",
  start(cluster, rng) {
    const order = rng.shuffled(cluster.names.map((_, n) => n));
    const half = Math.floor((cluster.size - 1) / 2);
    const left = order.slice(0, half).sort((a, b) => a - b);
    const middle = order[half]!;
    const right = order.slice(half + 1).sort((a, b) => a - b);
    cluster.bridge(left, middle, right);
    return { value: "bridge", done: `bridge ${cluster.describeNodes(left)} / ${cluster.names[middle]} / ${cluster.describeNodes(right)}` };
  },
  stop: healed,
};

const isolate: Fault = {
  name: "isolate",
  description: "one node (the leader) cut off from all others",
  startF: "start-partition",
  stopF: "stop-partition",
  start(cluster, rng, leader) {
    const node = target(cluster, rng, leader);
    cluster.partition([[node], others(cluster, node)]);
    return { value: "isolate", done: `cut ${cluster.names[node]} / ${cluster.describeNodes(others(cluster, node))}` };
  },
  stop: healed,
};

/** A fault on one node that the stop undoes (pause, crash); remembers which node. */
function nodeFault(name: string, description: string, startF: string, stopF: string, flags: (cluster: Cluster) => boolean[]): Fault {
  let node = -1;
  return {
    name,
    description,
    startF,
    stopF,
    start(cluster, rng, leader) {
      node = target(cluster, rng, leader);
      flags(cluster)[node] = true;
      return { value: cluster.names[node], done: cluster.names[node]! };
    },
    stop(cluster) {
      flags(cluster)[node] = false;
      return cluster.names[node]!;
    },
  };
}

const MAX_SKEW_NS = 200_000_000;

const clock: Fault = {
  name: "clock",
  description: "two nodes' clocks jump by up to ±200 ms",
  startF: "bump-clock",
  stopF: "reset-clock",
  start(cluster, rng) {
    const nodes = rng.shuffled(cluster.names.map((_, n) => n)).slice(0, 2).sort((a, b) => a - b);
    for (const n of nodes) cluster.skew[n] = rng.between(-MAX_SKEW_NS, MAX_SKEW_NS + 1);
    const done = nodes.map((n) => `${cluster.names[n]} ${cluster.skew[n]! >= 0 ? "+" : ""}${(cluster.skew[n]! / 1e6).toFixed(3)}ms`).join(", ");
    return { value: cluster.describeNodes(nodes), done };
  },
  stop(cluster) {
    cluster.skew.fill(0);
    return "clocks reset";
  },
};

/** Builds a fresh set of faults for one run (node faults remember their node). */
export function faultsNamed(name: string): Fault[] {
  const pause = nodeFault("pause", "SIGSTOP the leader, then SIGCONT", "pause", "resume", (c) => c.paused);
  const crash = nodeFault("crash", "kill the leader, then restart it", "kill", "restart", (c) => c.crashed);
  const all = [partition, bridge, isolate, pause, crash, clock];
  if (name === "none") return [];
  if (name === "mixed") return all;
  const fault = all.find((f) => f.name === name);
  if (fault === undefined) throw new Error(`unknown nemesis ${name}`);
  return [fault];
}

export const NEMESES: readonly { name: string; description: string }[] = [
  { name: "none", description: "no faults" },
  ...faultsNamed("mixed").map((f) => ({ name: f.name, description: f.description })),
  { name: "mixed", description: "each fault window takes the next of the faults above in turn" },
];

/**
 * Fault windows in record counts: window w of k spans [(2w+1)/(2k+1), (2w+2)/(2k+1)] of the
 * history, so one fault sits in the middle third and the run starts and ends healthy.
 */
export function faultWindows(records: number, count: number): { start: number; stop: number }[] {
  return Array.from({ length: count }, (_, w) => ({
    start: Math.floor((records * (2 * w + 1)) / (2 * count + 1)),
    stop: Math.floor((records * (2 * w + 2)) / (2 * count + 1)),
  }));
}
