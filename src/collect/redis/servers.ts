/**
 * Redis with Sentinel on this machine: on each member's address a redis-server (n1 starts as
 * primary, the others as its replicas) and a sentinel, both as the member's uid, so that a
 * partition of an address cuts the server and its sentinel alike. Clients are ioredis instances
 * that ask the sentinels for the primary, as applications do.
 */
import { chownSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { logTail, Members, type Member } from "../members.ts";
import type { System } from "../system.ts";

export const REDIS_PORT = 6379;
export const SENTINEL_PORT = 26379;
export const MASTER_NAME = "hindsight";
const STARTUP_TIMEOUT_MS = 30_000;
const ADMIN_TIMEOUT_MS = 500;
/** Sentinel's failure detection and failover timing (see docs/collect.md). */
export const SENTINEL_TIMING = { downAfterMs: 1000, failoverTimeoutMs: 3000 } as const;

export function sentinelConfig(m: Member, primary: Member, quorum: number): string {
  return [
    `bind ${m.address}`, `port ${SENTINEL_PORT}`, "daemonize no", "protected-mode no", `dir ${m.home}`,
    // the socket's own address is 127.0.0.1 (SNAT rewrites it on the way out): announce the real one
    `sentinel announce-ip ${m.address}`,
    `sentinel monitor ${MASTER_NAME} ${primary.address} ${REDIS_PORT} ${quorum}`,
    `sentinel down-after-milliseconds ${MASTER_NAME} ${SENTINEL_TIMING.downAfterMs}`,
    `sentinel failover-timeout ${MASTER_NAME} ${SENTINEL_TIMING.failoverTimeoutMs}`,
    `sentinel parallel-syncs ${MASTER_NAME} 1`,
    "",
  ].join("\n");
}

export function serverArgs(m: Member, primary: Member): string[] {
  const args = ["--bind", m.address, "--port", String(REDIS_PORT), "--dir", m.dataDir, "--daemonize", "no", "--protected-mode", "no", "--save", "", "--appendonly", "no", "--replica-announce-ip", m.address];
  return m.index === primary.index ? args : [...args, "--replicaof", primary.address, String(REDIS_PORT)];
}

export class RedisSentinelSystem extends Members implements System<Redis> {
  readonly peerPorts = [REDIS_PORT, SENTINEL_PORT];
  private readonly sentinels: Members;
  private readonly clients: Redis[] = [];

  constructor(
    dir: string,
    count: number,
    firstAddress: string,
    private readonly clientCount: number,
    private readonly opTimeoutMs: number,
  ) {
    super(dir, count, firstAddress, (m) => ({ command: "redis-server", args: serverArgs(m, this.members[0]!) }));
    this.sentinels = new Members(join(dir, "sentinels"), count, firstAddress, (m) => ({ command: "redis-sentinel", args: [join(m.home, "sentinel.conf")] }));
  }

  override async start(): Promise<void> {
    this.prepare();
    this.sentinels.prepare();
    const quorum = Math.floor(this.members.length / 2) + 1;
    for (const m of this.sentinels.members) {
      // sentinel rewrites its own config file as it learns the topology
      writeFileSync(join(m.home, "sentinel.conf"), sentinelConfig(m, this.members[0]!, quorum));
      chownSync(join(m.home, "sentinel.conf"), m.uid, m.uid);
    }
    super.start();
    this.sentinels.start();
    await this.until("the replicas to sync and the sentinels to find each other", async () => {
      const replicas = await this.admin(this.members[0]!.address, REDIS_PORT, (r) => r.info("replication"));
      if (replicas === undefined || !replicas.includes(`connected_slaves:${this.members.length - 1}`)) return false;
      const views = await Promise.all(this.sentinels.members.map((s) => this.admin(s.address, SENTINEL_PORT, async (r) => strings(await r.call("SENTINEL", "MASTER", MASTER_NAME)))));
      return views.every((v) => v !== undefined && field(v, "num-other-sentinels") === String(this.members.length - 1) && field(v, "num-slaves") === String(this.members.length - 1));
    });
    for (let slot = 0; slot < this.clientCount; slot++) this.clients.push(this.sentinelClient());
    await Promise.all(this.clients.map((c) => (c.status === "ready" ? undefined : new Promise((resolve) => c.once("ready", resolve)))));
  }

  override async stop(): Promise<void> {
    for (const c of this.clients) c.disconnect();
    await Promise.all([super.stop(), this.sentinels.stop()]);
  }

  override runningPids(): number[] {
    return [...super.runningPids(), ...this.sentinels.runningPids()];
  }

  /** The primary most reachable sentinels name. */
  async leader(): Promise<number | undefined> {
    const named = await Promise.all(this.sentinels.up().map((s) => this.admin(s.address, SENTINEL_PORT, async (r) => strings(await r.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)))));
    const votes = new Map<number, number>();
    for (const reply of named) {
      const index = this.members.findIndex((m) => m.address === reply?.[0]);
      if (index >= 0) votes.set(index, (votes.get(index) ?? 0) + 1);
    }
    return [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  }

  /** After healing: the sentinels agree on one primary and every other server replicates it in sync. */
  async settle(): Promise<void> {
    await this.until("one primary with every replica in sync after healing", async () => {
      const primary = await this.leader();
      if (primary === undefined) return false;
      const info = await this.admin(this.members[primary]!.address, REDIS_PORT, (r) => r.info("replication"));
      return info !== undefined && info.includes("role:master") && (info.match(/state=online/g) ?? []).length === this.members.length - 1;
    });
  }

  client(slot: number): { client: Redis } {
    return { client: this.clients[slot]! };
  }

  private sentinelClient(): Redis {
    return new Redis({
      sentinels: this.members.map((m) => ({ host: m.address, port: SENTINEL_PORT })),
      name: MASTER_NAME,
      commandTimeout: this.opTimeoutMs,
      connectTimeout: this.opTimeoutMs,
      // a command issued while disconnected fails at once (it was never sent) instead of waiting in a queue
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // a demoted primary answers writes with READONLY: find the primary again (the write was refused)
      reconnectOnError: (error) => error.message.startsWith("READONLY"),
      retryStrategy: () => 100,
      sentinelRetryStrategy: () => 100,
    });
  }

  private async until(what: string, ready: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (!(await ready())) {
      const dead = this.dead() ?? this.sentinels.dead();
      if (dead) throw new Error(`redis member ${dead.name} exited (code ${dead.process?.exitCode}):\n${logTail(dead.logFile)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${[...this.members, ...this.sentinels.members].map((m) => `${m.name}: ${logTail(m.logFile, 2)}`).join("\n")}`);
      await sleep(200);
    }
  }

  /** One admin request on a fresh connection; undefined when the server does not answer in time. */
  private async admin<T>(host: string, port: number, request: (r: Redis) => Promise<T>): Promise<T | undefined> {
    const r = new Redis({ host, port, lazyConnect: true, connectTimeout: ADMIN_TIMEOUT_MS, commandTimeout: ADMIN_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    r.on("error", () => undefined);
    try {
      await r.connect();
      return await request(r);
    } catch {
      return undefined;
    } finally {
      r.disconnect();
    }
  }
}

/** A sentinel's array reply as strings (undefined for anything else, e.g. null for an unknown master). */
function strings(reply: unknown): string[] | undefined {
  return Array.isArray(reply) ? reply.map(String) : undefined;
}

/** A field of a flat [name, value, name, value, …] reply. */
function field(reply: readonly string[], name: string): string | undefined {
  const i = reply.indexOf(name);
  return i >= 0 && i % 2 === 0 ? reply[i + 1] : undefined;
}
