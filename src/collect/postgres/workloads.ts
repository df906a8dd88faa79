/**
 * PostgreSQL workloads. list-append keeps each key's list in an int[] row (append = an upsert
 * with array_append, read = the whole array); rw-register keeps an int per key; both run each
 * transaction in one BEGIN … COMMIT at the chosen isolation level. set inserts one row per element.
 */
import type { Completion, OpSpec, Workload } from "../system.ts";
import { ConnectError, type PgSlot } from "./server.ts";
import { message, sqlState, txnFailure, txnGenerator, type MicroOp, type TxnWorkload } from "./txn.ts";

export const PG_WORKLOADS = ["list-append", "rw-register", "set"] as const;
export type PgWorkloadName = (typeof PG_WORKLOADS)[number];

export const ISOLATIONS = ["serializable", "repeatable-read", "read-committed"] as const;
export type Isolation = (typeof ISOLATIONS)[number];

/** The tables each workload needs; a key's row appears with its first write (an upsert). */
export function schema(workload: PgWorkloadName): string[] {
  switch (workload) {
    case "list-append":
      return ["CREATE TABLE lists (k int PRIMARY KEY, v int[] NOT NULL)"];
    case "rw-register":
      return ["CREATE TABLE registers (k int PRIMARY KEY, v int NOT NULL)"];
    case "set":
      return ["CREATE TABLE elements (e int PRIMARY KEY)"];
  }
}

/** Set on every connection, so BEGIN alone starts a transaction at this level. */
export function isolationStatement(isolation: Isolation): string {
  return `SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL ${isolation.replace("-", " ").toUpperCase()}`;
}

/** A key with no row reads as the empty list / the unwritten register. */
const STATEMENTS = {
  "list-append": {
    read: "SELECT v FROM lists WHERE k = $1",
    write: "INSERT INTO lists (k, v) VALUES ($1, ARRAY[$2::int]) ON CONFLICT (k) DO UPDATE SET v = array_append(lists.v, $2::int)",
    absent: [] as unknown,
  },
  "rw-register": {
    read: "SELECT v FROM registers WHERE k = $1",
    write: "INSERT INTO registers (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
    absent: null as unknown,
  },
} as const;

export function makePgWorkload(name: PgWorkloadName): Workload<PgSlot> {
  return name === "set" ? setWorkload() : txnWorkload(name);
}

function txnWorkload(name: TxnWorkload): Workload<PgSlot> {
  const next = txnGenerator(name);
  const sql = STATEMENTS[name];
  return {
    next: (random) => ({ f: "txn", value: next(random) }),
    perform: (slot, op) =>
      run(slot, op, async (client) => {
        const done: MicroOp[] = [];
        await client.query("BEGIN");
        try {
          for (const [f, k, v] of op.value as MicroOp[]) {
            if (f === "r") {
              const rows = (await client.query<{ v: unknown }>(sql.read, [k])).rows;
              done.push(["r", k, rows[0]?.v ?? sql.absent]);
            } else {
              await client.query(sql.write, [k, v]);
              done.push([f, k, v]);
            }
          }
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        }
        return { type: "ok", value: done };
      }),
  };
}

function setWorkload(): Workload<PgSlot> {
  let nextElement = 0;
  const readAll = { f: "read", value: null };
  return {
    next: (random) => (random.float() < 0.9 ? { f: "add", value: nextElement++ } : readAll),
    perform: (slot, op) =>
      run(slot, op, async (client) => {
        if (op.f === "add") {
          await client.query("INSERT INTO elements (e) VALUES ($1)", [op.value]);
          return { type: "ok", value: op.value };
        }
        const rows = (await client.query<{ e: number }>("SELECT e FROM elements ORDER BY e")).rows;
        return { type: "ok", value: rows.map((r) => r.e) };
      }),
    final: readAll,
  };
}

/**
 * Runs `body` on the slot's connection. A failed connect sent nothing (fail); a read changes
 * nothing (fail); otherwise see txnFailure. After a timeout or a network error the connection is
 * dropped, as its replies can no longer be matched to requests.
 */
async function run(slot: PgSlot, op: OpSpec, body: (client: Awaited<ReturnType<PgSlot["connection"]>>) => Promise<Completion>): Promise<Completion> {
  try {
    return await body(await slot.connection());
  } catch (error) {
    if (error instanceof ConnectError) return { type: "fail", value: op.value, error: error.message };
    const failure = op.f === "read" ? { type: "fail" as const, value: null, error: message(error) } : txnFailure(op.value, error);
    if (sqlState(error) === undefined) slot.drop();
    return failure;
  }
}
