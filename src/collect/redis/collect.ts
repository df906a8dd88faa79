/** `hindsight collect redis`: Redis with Sentinel on this machine, run by the collector framework (../run.ts). */
import { choice, type Collector } from "../collectors.ts";
import { missingRequirements } from "../preflight.ts";
import { collect } from "../run.ts";
import { RedisSentinelSystem } from "./servers.ts";
import { makeRedisWorkload, REDIS_WORKLOADS } from "./workloads.ts";

const OP_TIMEOUT_MS = 1000;

export const redisCollector: Collector = {
  name: "redis",
  description: "Redis 7: a primary, replicas and a sentinel beside each (one loopback address per member), ioredis clients that follow the sentinels; needs root, redis-server, redis-sentinel and iptables",
  workloads: REDIS_WORKLOADS,
  nemeses: ["none", "isolate-primary", "pause", "kill"],
  defaults: { nodes: 5, clients: 5, workload: "set", nemesis: "isolate-primary", rate: 50, time: 30, firstAddress: "127.0.0.1" },
  extraFlags: [],
  missing: () =>
    missingRequirements([
      { command: "redis-server", how: "apt-get install -y redis-server" },
      { command: "redis-sentinel", how: "apt-get install -y redis-sentinel" },
    ]),
  run: (flags, _extra, io) =>
    collect(
      {
        name: "redis",
        nemeses: redisCollector.nemeses,
        sourceAddresses: true,
        build: (dir) => ({ system: new RedisSentinelSystem(dir, flags.nodes, flags.firstAddress, flags.clients, OP_TIMEOUT_MS), workload: makeRedisWorkload(choice(REDIS_WORKLOADS, flags.workload)) }),
      },
      { ...flags, timeSeconds: flags.time },
      io,
    ),
};
