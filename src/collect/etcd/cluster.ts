/** Five (or N) etcd members on consecutive loopback addresses (see ../members.ts), clients pinned to members. */
import { setTimeout as sleep } from "node:timers/promises";
import { logTail, Members, type Member } from "../members.ts";
import type { System } from "../system.ts";
import { EtcdClient } from "./client.ts";

export { memberAddresses } from "../members.ts";

export const CLIENT_PORT = 2379;
export const PEER_PORT = 2380;
const STATUS_TIMEOUT_MS = 500;
const STARTUP_TIMEOUT_MS = 30_000;

export interface ClusterOptions {
  /** A folder the cluster owns (made world-traversable so members' uids can reach their data). */
  dir: string;
  members: number;
  /** Members get this address and the following ones, e.g. 127.0.0.1 … 127.0.0.5. */
  firstAddress: string;
  /** A client gives up on a request after this long. */
  opTimeoutMs?: number;
}

export class EtcdCluster extends Members implements System<EtcdClient> {
  readonly peerPorts = [PEER_PORT];
  private readonly memberIds = new Map<string, number>();

  constructor(private readonly options: ClusterOptions) {
    super(options.dir, options.members, options.firstAddress, (m, fresh) => ({ command: "etcd", args: etcdArgs(m, fresh, this.members) }));
  }

  clientUrl(member: number): string {
    return `http://${this.members[member]!.address}:${CLIENT_PORT}`;
  }

  override async start(): Promise<void> {
    this.prepare();
    super.start();
    await this.waitHealthy(STARTUP_TIMEOUT_MS);
  }

  /** Waits until every member names the same leader; throws with the members' log tails if not in time. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const statuses = await Promise.all(this.members.map((m) => this.memberClient(m.index).status()));
      const leaders = new Set(statuses.map((s) => (s.type === "ok" ? s.value.leader : "0")));
      if (leaders.size === 1 && !leaders.has("0")) {
        statuses.forEach((s, i) => s.type === "ok" && this.memberIds.set(s.value.memberId, i));
        return;
      }
      const dead = this.dead();
      if (dead) throw new Error(`etcd member ${dead.name} exited (code ${dead.process?.exitCode}) while starting:\n${logTail(dead.logFile)}`);
      await sleep(200);
    }
    throw new Error(`the etcd cluster did not elect a leader within ${timeoutMs / 1000} s:\n${this.members.map((m) => `${m.name}: ${logTail(m.logFile)}`).join("\n")}`);
  }

  /** The member the reachable members name as leader, or undefined when none does. */
  async leader(): Promise<number | undefined> {
    const statuses = await Promise.all(this.up().map((m) => this.memberClient(m.index).status()));
    const votes = new Map<number, number>();
    for (const s of statuses) {
      const leader = s.type === "ok" ? this.memberIds.get(s.value.leader) : undefined;
      if (leader !== undefined) votes.set(leader, (votes.get(leader) ?? 0) + 1);
    }
    return [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  }

  /** Slot s talks to member s mod N (HTTP: a client is only a URL). */
  client(slot: number): { client: EtcdClient; node: string } {
    const member = slot % this.members.length;
    return { client: this.memberClient(member, this.options.opTimeoutMs), node: this.members[member]!.name };
  }

  memberClient(member: number, timeoutMs = STATUS_TIMEOUT_MS): EtcdClient {
    return new EtcdClient(this.clientUrl(member), timeoutMs);
  }
}

function etcdArgs(m: Member, fresh: boolean, all: readonly Member[]): string[] {
  const peers = all.map((p) => `${p.name}=http://${p.address}:${PEER_PORT}`).join(",");
  const clientUrl = `http://${m.address}:${CLIENT_PORT}`;
  return ["--name", m.name, "--data-dir", m.dataDir,
    "--listen-peer-urls", `http://${m.address}:${PEER_PORT}`, "--initial-advertise-peer-urls", `http://${m.address}:${PEER_PORT}`,
    "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
    "--initial-cluster", peers, "--initial-cluster-state", fresh ? "new" : "existing", "--initial-cluster-token", "hindsight"];
}
