/**
 * ZooKeeper workloads: set = one persistent znode per element under /set (add = create, read =
 * getChildren); cas-register = the data of /register (write = setData, cas = getData then setData
 * with the version read, so nothing can slip in between). Reads are served by the client's own
 * member (ZooKeeper's sequential consistency), as applications read.
 */
import zookeeper from "node-zookeeper-client";
import type { Completion, Workload } from "../system.ts";
import type { ZkSlot } from "./ensemble.ts";

export const ZK_WORKLOADS = ["set", "cas-register"] as const;
export type ZkWorkloadName = (typeof ZK_WORKLOADS)[number];

const SET_PATH = "/set";
const REGISTER_PATH = "/register";
const REGISTER_VALUES = 5;
/** A request not answered by then is given up as unknown. */
export const ZK_OP_TIMEOUT_MS = 2000;

class Refused extends Error {}

/** Codes that say the request did nothing: the znode was not there / was there / had another version. */
const DEFINITE = new Set([zookeeper.Exception.NO_NODE, zookeeper.Exception.NODE_EXISTS, zookeeper.Exception.BAD_VERSION]);

/** How a request that did not succeed ends: fail when it certainly did nothing, else info. */
export function zkFailure(value: unknown, error: unknown, isRead: boolean): Completion {
  const text = error instanceof Error || error instanceof zookeeper.Exception ? error.toString() : String(error);
  const code = error instanceof zookeeper.Exception ? error.getCode() : undefined;
  const definite = isRead || error instanceof Refused || (code !== undefined && DEFINITE.has(code));
  return { type: definite ? "fail" : "info", value: isRead ? null : value, error: text };
}

/** Runs one callback-style request with a deadline. */
function request<T>(issue: (callback: (error: Error | zookeeper.Exception | null, result: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ZK_OP_TIMEOUT_MS);
    issue((error, result) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result);
    });
  });
}

/**
 * Issues requests only on a connected session: the library would otherwise queue them and send
 * them after a reconnect, long after we gave up - so "not connected" is a definite fail.
 */
async function attempt(slot: ZkSlot, value: unknown, isRead: boolean, body: (client: zookeeper.Client) => Promise<unknown>): Promise<Completion> {
  try {
    const client = slot.client;
    if (!slot.connected) throw new Refused("not connected (request not sent)");
    return { type: "ok", value: await body(client) };
  } catch (error) {
    return zkFailure(value, error, isRead);
  }
}

const encode = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const decode = (data: Buffer | undefined): unknown => (data === undefined || data.length === 0 ? null : JSON.parse(data.toString("utf8")));

export async function setupZnodes(name: ZkWorkloadName, client: zookeeper.Client): Promise<void> {
  const path = name === "set" ? SET_PATH : REGISTER_PATH;
  await request<string>((cb) => client.create(path, Buffer.alloc(0), cb));
}

export function makeZkWorkload(name: ZkWorkloadName): Workload<ZkSlot> {
  if (name === "cas-register") {
    return {
      next(random) {
        const f = random.pick(["read", "write", "cas"]);
        if (f === "read") return { f, value: null };
        if (f === "write") return { f, value: random.int(REGISTER_VALUES) };
        return { f, value: [random.int(REGISTER_VALUES), random.int(REGISTER_VALUES)] };
      },
      perform(slot, op) {
        if (op.f === "read") return attempt(slot, null, true, async (c) => decode(await request<Buffer>((cb) => c.getData(REGISTER_PATH, cb))));
        if (op.f === "write")
          return attempt(slot, op.value, false, async (c) => {
            await request((cb) => c.setData(REGISTER_PATH, encode(op.value), -1, cb));
            return op.value;
          });
        const [expected, next] = op.value as [number, number];
        return attempt(slot, op.value, false, async (c) => {
          const [data, version] = await request<[Buffer, number]>((cb) => c.getData(REGISTER_PATH, (error, data, stat) => cb(error, [data, stat?.version ?? -1])));
          if (decode(data) !== expected) throw new Refused("the value was not the expected one");
          await request((cb) => c.setData(REGISTER_PATH, encode(next), version, cb));
          return op.value;
        });
      },
    };
  }
  let nextElement = 0;
  const readAll = { f: "read", value: null };
  return {
    next: (random) => (random.float() < 0.9 ? { f: "add", value: nextElement++ } : readAll),
    perform(slot, op) {
      if (op.f === "read") return attempt(slot, null, true, async (c) => (await request<string[]>((cb) => c.getChildren(SET_PATH, cb))).map(Number).sort((a, b) => a - b));
      return attempt(slot, op.value, false, async (c) => {
        await request<string>((cb) => c.create(`${SET_PATH}/${String(op.value)}`, cb));
        return op.value;
      });
    },
    final: readAll,
  };
}
