/**
 * A ZooKeeper 3.8 ensemble (Debian's package) on this machine: one QuorumPeerMain JVM per member
 * address, client port, quorum and election ports on that address only, the admin server off.
 * Clients (node-zookeeper-client) are pinned to members, each with its own session.
 */
import { chownSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import zookeeper from "node-zookeeper-client";
import { logTail, Members, type Member } from "../members.ts";
import type { System } from "../system.ts";

export const ZK_JAR = "/usr/share/java/zookeeper.jar";
/** Debian's libslf4j-java (a dependency of zookeeper): warnings go to the member's log file. */
const SLF4J_SIMPLE = "/usr/share/java/slf4j-simple.jar";
export const CLIENT_PORT = 2181;
export const QUORUM_PORT = 2888;
export const ELECTION_PORT = 3888;
const STARTUP_TIMEOUT_MS = 90_000;
const SETTLE_TIMEOUT_MS = 30_000;
const STATUS_TIMEOUT_MS = 1000;
/** tickTime 500 ms and syncLimit 4: a follower or leader cut off notices within 2 s (a 5 s partition matters). */
export const ZK_TIMING = { tickMs: 500, initLimit: 20, syncLimit: 4, sessionTimeoutMs: 4000 } as const;

export function zooConfig(m: Member, all: readonly Member[]): string {
  return [
    `tickTime=${ZK_TIMING.tickMs}`, `initLimit=${ZK_TIMING.initLimit}`, `syncLimit=${ZK_TIMING.syncLimit}`,
    `dataDir=${m.dataDir}`, `clientPort=${CLIENT_PORT}`, `clientPortAddress=${m.address}`,
    "admin.enableServer=false", "4lw.commands.whitelist=srvr",
    ...all.map((p) => `server.${p.index + 1}=${p.address}:${QUORUM_PORT}:${ELECTION_PORT}`),
    "",
  ].join("\n");
}

/** A member's mode from its answer to `srvr` ("Mode: leader" / "follower"); undefined when it does not serve. */
export function srvrMode(answer: string): string | undefined {
  return /^Mode: (\S+)/m.exec(answer)?.[1];
}

/** One client session per slot, replaced when ZooKeeper expires it. */
export class ZkSlot {
  private current: zookeeper.Client;

  constructor(private readonly connectString: string) {
    this.current = this.open();
  }

  get client(): zookeeper.Client {
    if (this.current.getState() === zookeeper.State.EXPIRED) {
      this.current.close();
      this.current = this.open();
    }
    return this.current;
  }

  /** True while the session is connected: a request sent now goes out at once rather than queueing for a reconnect. */
  get connected(): boolean {
    return this.current.getState() === zookeeper.State.SYNC_CONNECTED;
  }

  connectedOnce(timeoutMs: number): Promise<boolean> {
    if (this.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.current.once("connected", () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  close(): void {
    this.current.close();
  }

  private open(): zookeeper.Client {
    const client = zookeeper.createClient(this.connectString, { sessionTimeout: ZK_TIMING.sessionTimeoutMs, spinDelay: 100, retries: 0 });
    client.connect();
    return client;
  }
}

export class ZookeeperEnsemble extends Members implements System<ZkSlot> {
  readonly peerPorts = [QUORUM_PORT, ELECTION_PORT];
  private readonly slots: ZkSlot[] = [];

  constructor(
    dir: string,
    count: number,
    firstAddress: string,
    private readonly clientCount: number,
    /** Run once on a connected client before the test (the workload's znodes). */
    private readonly setup: (client: zookeeper.Client) => Promise<void>,
  ) {
    super(dir, count, firstAddress, (m) => ({
      command: "java",
      args: ["-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", `-Djava.io.tmpdir=${m.home}`, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", `${ZK_JAR}:${SLF4J_SIMPLE}`, "org.apache.zookeeper.server.quorum.QuorumPeerMain", join(m.home, "zoo.cfg")],
    }));
  }

  override async start(): Promise<void> {
    this.writeConfigs();
    super.start();
    await this.until("the ensemble to elect a leader", STARTUP_TIMEOUT_MS);
    const admin = new ZkSlot(`${this.members[0]!.address}:${CLIENT_PORT}`);
    try {
      if (!(await admin.connectedOnce(10_000))) throw new Error("could not connect to the ensemble to create the workload's znodes");
      await this.setup(admin.client);
    } finally {
      admin.close();
    }
    // every client's session is open before the clock starts
    for (let slot = 0; slot < this.clientCount; slot++) this.client(slot);
    await Promise.all(this.slots.map((s) => s.connectedOnce(10_000)));
  }

  /** After healing: every member leads or follows again and every client is connected. */
  async settle(): Promise<void> {
    await this.until("every member to rejoin after healing", SETTLE_TIMEOUT_MS);
    await Promise.all(this.slots.map((s) => s.connectedOnce(SETTLE_TIMEOUT_MS)));
  }

  private writeConfigs(): void {
    this.prepare();
    for (const m of this.members) {
      writeFileSync(join(m.dataDir, "myid"), `${m.index + 1}\n`);
      chownSync(join(m.dataDir, "myid"), m.uid, m.uid);
      writeFileSync(join(m.home, "zoo.cfg"), zooConfig(m, this.members));
    }
  }

  private async until(what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const modes = await Promise.all(this.members.map((m) => this.mode(m)));
      if (modes.filter((mode) => mode === "leader").length === 1 && modes.every((mode) => mode === "leader" || mode === "follower")) return;
      const dead = this.dead();
      if (dead) throw new Error(`zookeeper member ${dead.name} exited (code ${dead.process?.exitCode}):\n${logTail(dead.logFile)}`);
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (modes: ${modes.join(", ")}):\n${this.members.map((m) => `${m.name}: ${logTail(m.logFile, 3)}`).join("\n")}`);
      await sleep(500);
    }
  }

  override async stop(): Promise<void> {
    for (const slot of this.slots) slot.close();
    await super.stop();
  }

  async leader(): Promise<number | undefined> {
    const modes = await Promise.all(this.members.map((m) => (m.process && !m.paused ? this.mode(m) : undefined)));
    const index = modes.indexOf("leader");
    return index >= 0 ? index : undefined;
  }

  client(slot: number): { client: ZkSlot; node: string } {
    const member = this.members[slot % this.members.length]!;
    this.slots[slot] ??= new ZkSlot(`${member.address}:${CLIENT_PORT}`);
    return { client: this.slots[slot], node: member.name };
  }

  /** The member's answer to the `srvr` four-letter word. */
  private mode(m: Member): Promise<string | undefined> {
    return new Promise((resolve) => {
      let answer = "";
      const socket = connect({ host: m.address, port: CLIENT_PORT });
      const done = (): void => {
        socket.destroy();
        resolve(srvrMode(answer));
      };
      socket.setTimeout(STATUS_TIMEOUT_MS, done);
      socket.on("connect", () => socket.write("srvr"));
      socket.on("data", (d) => (answer += d));
      socket.on("end", done);
      socket.on("error", done);
    });
  }
}
