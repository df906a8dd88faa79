/**
 * Five (or N) etcd members on consecutive loopback addresses, each in its own data folder and
 * running as its own uid (see Firewall.sourceAddress), started through `setpriv` so that a
 * member dies with the collector even if the collector is killed outright.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chownSync, closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { memberName } from "../nemesis.ts";
import { EtcdClient } from "./client.ts";

export const CLIENT_PORT = 2379;
export const PEER_PORT = 2380;
/**
 * Member uids: this base plus the address's low 24 bits, far above any real account and distinct
 * for every loopback address, so concurrent collections on different addresses never share one.
 */
const UID_BASE = 100_000_000;
const STATUS_TIMEOUT_MS = 500;
const STOP_GRACE_MS = 3000;

export interface Member {
  index: number;
  name: string;
  address: string;
  uid: number;
  dataDir: string;
  logFile: string;
  process: ChildProcess | undefined;
  paused: boolean;
}

export interface ClusterOptions {
  /** A folder the cluster owns (made world-traversable so members' uids can reach their data). */
  dir: string;
  members: number;
  /** Members get this address and the following ones, e.g. 127.0.0.1 … 127.0.0.5. */
  firstAddress: string;
}

export class EtcdCluster {
  readonly members: Member[];
  private readonly memberIds = new Map<string, number>();

  constructor(private readonly options: ClusterOptions) {
    this.members = memberAddresses(options.firstAddress, options.members).map((address, index) => ({
      index,
      name: memberName(index),
      address,
      uid: UID_BASE + address.split(".").slice(1).reduce((n, octet) => n * 256 + Number(octet), 0),
      dataDir: join(options.dir, memberName(index), "data"),
      logFile: join(options.dir, `${memberName(index)}.log`),
      process: undefined,
      paused: false,
    }));
  }

  clientUrl(member: number): string {
    return `http://${this.members[member]!.address}:${CLIENT_PORT}`;
  }

  /** Spawns every member (not yet a cluster: see waitHealthy). */
  start(): void {
    for (const m of this.members) {
      const home = join(this.options.dir, m.name);
      mkdirSync(home, { recursive: true });
      chownSync(home, m.uid, m.uid);
      this.spawnMember(m, "new");
    }
  }

  /** Waits until every member names the same leader; throws with the members' log tails if not in time. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const statuses = await Promise.all(this.members.map((m) => this.client(m.index).status()));
      const leaders = new Set(statuses.map((s) => (s.type === "ok" ? s.value.leader : "0")));
      if (leaders.size === 1 && !leaders.has("0")) {
        statuses.forEach((s, i) => s.type === "ok" && this.memberIds.set(s.value.memberId, i));
        return;
      }
      const dead = this.members.find((m) => m.process && (m.process.exitCode !== null || m.process.signalCode !== null));
      if (dead) throw new Error(`etcd member ${dead.name} exited (code ${dead.process?.exitCode}) while starting:\n${logTail(dead.logFile)}`);
      await sleep(200);
    }
    throw new Error(`the etcd cluster did not elect a leader within ${timeoutMs / 1000} s:\n${this.members.map((m) => `${m.name}: ${logTail(m.logFile)}`).join("\n")}`);
  }

  /** The member the reachable members name as leader, or undefined when none does. */
  async leader(): Promise<number | undefined> {
    const up = this.members.filter((m) => m.process && !m.paused);
    const statuses = await Promise.all(up.map((m) => this.client(m.index).status()));
    const votes = new Map<number, number>();
    for (const s of statuses) {
      const leader = s.type === "ok" ? this.memberIds.get(s.value.leader) : undefined;
      if (leader !== undefined) votes.set(leader, (votes.get(leader) ?? 0) + 1);
    }
    return [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  }

  pause(member: number): void {
    const m = this.members[member]!;
    m.process?.kill("SIGSTOP");
    m.paused = true;
  }

  resume(member: number): void {
    const m = this.members[member]!;
    m.process?.kill("SIGCONT");
    m.paused = false;
  }

  /** kill -9, as a crash would. */
  async kill(member: number): Promise<void> {
    const m = this.members[member]!;
    if (m.process) await stopProcess(m.process, "SIGKILL", 0);
    m.process = undefined;
    m.paused = false;
  }

  /** Starts a killed member again on its data. */
  restart(member: number): void {
    const m = this.members[member]!;
    if (!m.process) this.spawnMember(m, "existing");
  }

  /** Stops every member (SIGTERM, then SIGKILL after a grace period) and waits until each has exited. */
  async stop(): Promise<void> {
    await Promise.all(
      this.members.map(async (m) => {
        if (!m.process) return;
        if (m.paused) m.process.kill("SIGCONT");
        await stopProcess(m.process, "SIGTERM", STOP_GRACE_MS);
        m.process = undefined;
        m.paused = false;
      }),
    );
  }

  /** Pids of members still running (for tests that check nothing survives). */
  runningPids(): number[] {
    return this.members.flatMap((m) => (m.process?.pid !== undefined && m.process.exitCode === null && m.process.signalCode === null ? [m.process.pid] : []));
  }

  client(member: number, timeoutMs = STATUS_TIMEOUT_MS): EtcdClient {
    return new EtcdClient(this.clientUrl(member), timeoutMs);
  }

  private spawnMember(m: Member, state: "new" | "existing"): void {
    const peers = this.members.map((p) => `${p.name}=http://${p.address}:${PEER_PORT}`).join(",");
    const log = openSync(m.logFile, "a");
    // setpriv: run as the member's uid, and die with the collector (parent-death signal).
    const args = ["--reuid", String(m.uid), "--regid", String(m.uid), "--clear-groups", "--pdeathsig", "KILL", "etcd",
      "--name", m.name, "--data-dir", m.dataDir,
      "--listen-peer-urls", `http://${m.address}:${PEER_PORT}`, "--initial-advertise-peer-urls", `http://${m.address}:${PEER_PORT}`,
      "--listen-client-urls", this.clientUrl(m.index), "--advertise-client-urls", this.clientUrl(m.index),
      "--initial-cluster", peers, "--initial-cluster-state", state, "--initial-cluster-token", "hindsight"];
    m.process = spawn("setpriv", args, { stdio: ["ignore", log, log] });
    closeSync(log);
    m.process.on("error", () => undefined); // reported through waitHealthy's exit check
  }
}

/** n consecutive IPv4 addresses starting at `first`. */
export function memberAddresses(first: string, n: number): string[] {
  const octets = first.split(".").map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || octets[3]! + n - 1 > 254) {
    throw new RangeError(`${first}: expected an IPv4 address with room for ${n} consecutive addresses after it`);
  }
  return Array.from({ length: n }, (_, i) => [...octets.slice(0, 3), octets[3]! + i].join("."));
}

/** Sends `signal`, escalates to SIGKILL after `graceMs`, and resolves when the process has exited. */
async function stopProcess(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

function logTail(file: string): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-5).join("\n");
  } catch {
    return "(no log)";
  }
}
