/**
 * Members of a system on consecutive loopback addresses, each in its own folder and running as
 * its own uid (see Firewall.sourceAddress), started through `setpriv` so that a member dies
 * with the collector even if the collector is killed outright. Every system's processes go
 * through here: pause, kill and restart mean the same for all of them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chownSync, closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { memberName } from "./nemesis.ts";

/**
 * Member uids: this base plus the address's low 24 bits, far above any real account and distinct
 * for every loopback address, so concurrent collections on different addresses never share one.
 */
const UID_BASE = 100_000_000;
const STOP_GRACE_MS = 3000;

export interface Member {
  index: number;
  name: string;
  address: string;
  uid: number;
  /** The member's own folder (owned by its uid). */
  home: string;
  dataDir: string;
  logFile: string;
  process: ChildProcess | undefined;
  paused: boolean;
}

/** How a member's server is started: the command and its arguments; `fresh` is false on a restart. */
export type Command = (member: Member, fresh: boolean) => { command: string; args: string[] };

/** What every system's members do alike (the system adds its own start-up and health checks). */
export interface MemberProcesses {
  readonly members: readonly Member[];
  pause(member: number): void;
  resume(member: number): void;
  kill(member: number): Promise<void>;
  restart(member: number): void;
}

export class Members implements MemberProcesses {
  readonly members: Member[];
  /** What asks a member to stop (PostgreSQL's SIGTERM waits for its clients; it wants SIGINT). */
  protected stopSignal: NodeJS.Signals = "SIGTERM";

  /**
   * @param dir a folder the system owns (made world-traversable so members' uids can reach their data)
   * @param uid the uid a member runs as; by default one of its own per address
   */
  constructor(
    dir: string,
    count: number,
    firstAddress: string,
    private readonly command: Command,
    uid: (address: string) => number = addressUid,
  ) {
    this.members = memberAddresses(firstAddress, count).map((address, index) => ({
      index,
      name: memberName(index),
      address,
      uid: uid(address),
      home: join(dir, memberName(index)),
      dataDir: join(dir, memberName(index), "data"),
      logFile: join(dir, `${memberName(index)}.log`),
      process: undefined,
      paused: false,
    }));
  }

  /** Makes each member's folder and its empty data folder, owned by its uid. */
  prepare(): void {
    for (const m of this.members) {
      mkdirSync(m.dataDir, { recursive: true });
      for (const folder of [m.home, m.dataDir]) chownSync(folder, m.uid, m.uid);
    }
  }

  /** Spawns every member. */
  start(): void {
    for (const m of this.members) this.spawnMember(m, true);
  }

  /** The first member whose process has exited, if any (a start-up that cannot succeed). */
  dead(): Member | undefined {
    return this.members.find((m) => m.process && (m.process.exitCode !== null || m.process.signalCode !== null));
  }

  /** Members running and not paused. */
  up(): Member[] {
    return this.members.filter((m) => m.process && !m.paused);
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
    if (!m.process) this.spawnMember(m, false);
  }

  /** Stops every member (SIGTERM, then SIGKILL after a grace period) and waits until each has exited. */
  async stop(): Promise<void> {
    await Promise.all(
      this.members.map(async (m) => {
        if (!m.process) return;
        if (m.paused) m.process.kill("SIGCONT");
        await stopProcess(m.process, this.stopSignal, STOP_GRACE_MS);
        m.process = undefined;
        m.paused = false;
      }),
    );
  }

  /** Pids of members still running (for tests that check nothing survives). */
  runningPids(): number[] {
    return this.members.flatMap((m) => (m.process?.pid !== undefined && m.process.exitCode === null && m.process.signalCode === null ? [m.process.pid] : []));
  }

  private spawnMember(m: Member, fresh: boolean): void {
    const { command, args } = this.command(m, fresh);
    const log = openSync(m.logFile, "a");
    // setpriv: run as the member's uid, and die with the collector (parent-death signal).
    m.process = spawn("setpriv", ["--reuid", String(m.uid), "--regid", String(m.uid), "--clear-groups", "--pdeathsig", "KILL", command, ...args], { stdio: ["ignore", log, log], cwd: m.home });
    closeSync(log);
    m.process.on("error", () => undefined); // reported through the system's start-up check
  }
}

export function addressUid(address: string): number {
  return UID_BASE + address.split(".").slice(1).reduce((n, octet) => n * 256 + Number(octet), 0);
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
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export function logTail(file: string, lines = 5): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
