/** Every system `hindsight collect` can run. */
import type { Collector } from "./collectors.ts";
import { etcdCollector } from "./etcd/collect.ts";
import { postgresCollector } from "./postgres/collect.ts";
import { redisCollector } from "./redis/collect.ts";
import { zookeeperCollector } from "./zookeeper/collect.ts";

export const COLLECTORS: readonly Collector[] = [etcdCollector, postgresCollector, redisCollector, zookeeperCollector];
