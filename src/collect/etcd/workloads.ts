/**
 * The ops each workload's clients issue, and how each becomes etcd requests. Values follow the
 * checkers' conventions: register read → value (null when unset), write v, cas [old, new];
 * set add v / read → sorted elements; counter add delta / read → total.
 */
import type { Completion, Workload as AnyWorkload } from "../system.ts";
import type { EtcdClient, Reply } from "./client.ts";

export const WORKLOADS = ["register", "cas-register", "set", "counter"] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

type Workload = AnyWorkload<EtcdClient>;

const REGISTER_KEY = "register";
const SET_PREFIX = "set/";
const COUNTER_KEY = "counter";
const REGISTER_VALUES = 5;
/** Read-modify-write attempts before a counter add gives up (a definite fail: nothing was written). */
const COUNTER_ATTEMPTS = 10;

export function makeWorkload(name: WorkloadName, serializableReads: boolean): Workload {
  switch (name) {
    case "register":
      return registerWorkload(serializableReads, false);
    case "cas-register":
      return registerWorkload(serializableReads, true);
    case "set":
      return setWorkload(serializableReads);
    case "counter":
      return counterWorkload(serializableReads);
  }
}

function registerWorkload(serializable: boolean, withCas: boolean): Workload {
  const fs = withCas ? ["read", "write", "cas"] : ["read", "write"];
  return {
    next(random) {
      const f = random.pick(fs);
      if (f === "read") return { f, value: null };
      if (f === "write") return { f, value: random.int(REGISTER_VALUES) };
      return { f, value: [random.int(REGISTER_VALUES), random.int(REGISTER_VALUES)] };
    },
    async perform(client, op) {
      if (op.f === "read") return read(await client.get(REGISTER_KEY, serializable), (v) => v.value);
      if (op.f === "write") return write(await client.put(REGISTER_KEY, op.value), op.value);
      const [expected, next] = op.value as [number, number];
      return conditional(await client.compareAndSet(REGISTER_KEY, expected, next), op.value, "the value was not the expected one");
    },
  };
}

function setWorkload(serializable: boolean): Workload {
  let nextElement = 0;
  const readAll = { f: "read", value: null };
  return {
    // Mostly adds: the set checker needs many elements and only a few reads.
    next: (random) => (random.float() < 0.9 ? { f: "add", value: nextElement++ } : readAll),
    async perform(client, op) {
      if (op.f === "read") return read(await client.getPrefix(SET_PREFIX, serializable), (values) => [...(values as number[])].sort((a, b) => a - b));
      return write(await client.put(`${SET_PREFIX}${String(op.value).padStart(8, "0")}`, op.value), op.value);
    },
    final: readAll,
  };
}

function counterWorkload(serializable: boolean): Workload {
  const readTotal = { f: "read", value: null };
  return {
    next: (random) => (random.float() < 0.7 ? { f: "add", value: 1 + random.int(5) } : readTotal),
    async perform(client, op) {
      if (op.f === "read") return read(await client.get(COUNTER_KEY, serializable), (v) => (v.value as number | null) ?? 0);
      // etcd has no increment: read the total and its revision, then write total+delta only if
      // nothing changed since; retry when something did.
      for (let attempt = 0; attempt < COUNTER_ATTEMPTS; attempt++) {
        const current = await client.get(COUNTER_KEY, false);
        if (current.type !== "ok") return { type: "fail", value: op.value, error: `read before add: ${current.error}` };
        const total = ((current.value.value as number | null) ?? 0) + (op.value as number);
        const written = await client.putIfUnchanged(COUNTER_KEY, current.value.modRevision, total);
        if (written.type !== "ok") return { type: written.type, value: op.value, error: written.error };
        if (written.value) return { type: "ok", value: op.value };
      }
      return { type: "fail", value: op.value, error: `lost the race ${COUNTER_ATTEMPTS} times` };
    },
    final: readTotal,
  };
}

/** A read changes nothing, so any error is a definite fail (and keeps the checkers' search small). */
function read<T>(reply: Reply<T>, result: (value: T) => unknown): Completion {
  return reply.type === "ok" ? { type: "ok", value: result(reply.value) } : { type: "fail", value: null, error: reply.error };
}

function write(reply: Reply<undefined>, value: unknown): Completion {
  return reply.type === "ok" ? { type: "ok", value } : { type: reply.type, value, error: reply.error };
}

/** A transaction whose comparison failed did nothing: fail, with `refused` as the reason. */
function conditional(reply: Reply<boolean>, value: unknown, refused: string): Completion {
  if (reply.type !== "ok") return { type: reply.type, value, error: reply.error };
  return reply.value ? { type: "ok", value } : { type: "fail", value, error: refused };
}
