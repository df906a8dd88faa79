/**
 * A private PostgreSQL 15 server: initdb into the collection's temp folder, the postmaster on its
 * own loopback address and port, run as the package's `postgres` account (PostgreSQL refuses
 * root, and initdb needs a uid with a name). Never the system's cluster or its files.
 */
import { execFile } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import pg from "pg";
import { logTail, Members, type Member } from "../members.ts";
import type { System } from "../system.ts";

export const PG_BIN = "/usr/lib/postgresql/15/bin";
export const PG_PORT = 5432;
const STARTUP_TIMEOUT_MS = 30_000;

/** The uid of an account in /etc/passwd. */
export function accountUid(name: string, passwd: string = readFileSync("/etc/passwd", "utf8")): number | undefined {
  const line = passwd.split("\n").find((l) => l.startsWith(`${name}:`));
  const uid = line?.split(":")[2];
  return uid === undefined ? undefined : Number(uid);
}

/** One connection per client slot, opened when first needed and dropped after an unknown outcome. */
export class PgSlot {
  private client: pg.Client | undefined;

  constructor(
    private readonly config: pg.ClientConfig,
    /** Runs once on every new connection (e.g. the isolation level). */
    private readonly onConnect: string | undefined,
  ) {}

  /** The open connection, connecting first if there is none; a failed connect throws with `connect` set. */
  async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client(this.config);
    client.on("error", () => this.drop());
    try {
      await client.connect();
      if (this.onConnect) await client.query(this.onConnect);
    } catch (error) {
      void client.end().catch(() => undefined);
      throw new ConnectError(error);
    }
    this.client = client;
    return client;
  }

  /** Forgets the connection without waiting for the server (which may not answer). */
  drop(): void {
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => undefined);
  }
}

/** The connection could not be made: no request was sent, so the op certainly did nothing. */
export class ConnectError extends Error {
  constructor(cause: unknown) {
    super(`could not connect: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export class PostgresServer extends Members implements System<PgSlot> {
  readonly peerPorts: number[] = [];
  readonly serverEndpoint: { address: string; port: number };
  private readonly slots: PgSlot[] = [];
  protected override stopSignal: NodeJS.Signals = "SIGINT"; // fast shutdown: SIGTERM would wait for clients

  constructor(
    dir: string,
    address: string,
    private readonly uid: number,
    private readonly opTimeoutMs: number,
    /** Statements run once the server is up (the workload's tables). */
    private readonly schema: readonly string[],
    private readonly onConnect: string | undefined,
  ) {
    super(dir, 1, address, (m) => ({ command: join(PG_BIN, "postgres"), args: ["-D", m.dataDir, "-c", `listen_addresses=${m.address}`, "-p", String(PG_PORT), "-c", `unix_socket_directories=${m.home}`, "-c", "lock_timeout=500"] }), () => uid);
    this.serverEndpoint = { address, port: PG_PORT };
  }

  override async start(): Promise<void> {
    this.prepare();
    const m = this.members[0]!;
    await initdb(m, this.uid);
    super.start();
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    const admin = new PgSlot(this.config(2000), undefined);
    while (true) {
      try {
        const client = await admin.connection();
        for (const statement of this.schema) await client.query(statement);
        admin.drop();
        return;
      } catch (error) {
        admin.drop();
        const dead = this.dead();
        if (dead) throw new Error(`postgres exited (code ${dead.process?.exitCode}) while starting:\n${logTail(dead.logFile)}`);
        if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${STARTUP_TIMEOUT_MS / 1000} s (${error instanceof Error ? error.message : String(error)}):\n${logTail(m.logFile)}`);
        await sleep(200);
      }
    }
  }

  override async stop(): Promise<void> {
    for (const slot of this.slots) slot.drop();
    await super.stop();
  }

  /** A single server leads itself while it runs. */
  async leader(): Promise<number | undefined> {
    return this.up().length > 0 ? 0 : undefined;
  }

  client(slot: number): { client: PgSlot } {
    this.slots[slot] ??= new PgSlot(this.config(this.opTimeoutMs), this.onConnect);
    return { client: this.slots[slot] };
  }

  private config(timeoutMs: number): pg.ClientConfig {
    return { host: this.serverEndpoint.address, port: PG_PORT, user: "postgres", database: "postgres", connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs };
  }
}

/** A fresh cluster in the member's data folder, trusting connections from loopback only. */
async function initdb(m: Member, uid: number): Promise<void> {
  try {
    await promisify(execFile)("setpriv", ["--reuid", String(uid), "--regid", String(uid), "--clear-groups", join(PG_BIN, "initdb"), "-D", m.dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], { cwd: m.home });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`initdb failed: ${stderr?.trim() || String(error)}`);
  }
  appendFileSync(join(m.dataDir, "pg_hba.conf"), "host all all 127.0.0.0/8 trust\n");
}
