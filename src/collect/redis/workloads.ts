/**
 * Redis workloads: set = SADD of unique elements and SMEMBERS (the final one after healing);
 * register = SET / GET of one key. Values follow the checkers' conventions (see etcd's).
 */
import type { Redis } from "ioredis";
import type { Completion, Workload } from "../system.ts";

export const REDIS_WORKLOADS = ["set", "register"] as const;
export type RedisWorkloadName = (typeof REDIS_WORKLOADS)[number];

const SET_KEY = "set";
const REGISTER_KEY = "register";
const REGISTER_VALUES = 5;

/**
 * How a command that threw ends. Refused before it ran (READONLY from a demoted primary, not
 * connected so never sent) is fail; a timeout or a connection lost on the way may have run: info.
 */
export function redisFailure(value: unknown, error: unknown): Completion {
  const text = error instanceof Error ? error.message : String(error);
  const refused = /^(READONLY|NOREPLICAS|MASTERDOWN|LOADING)\b|enableOfflineQueue|Stream isn't writeable/.test(text);
  return { type: refused ? "fail" : "info", value, error: text };
}

async function attempt(value: unknown, isRead: boolean, command: () => Promise<unknown>): Promise<Completion> {
  try {
    return { type: "ok", value: await command() };
  } catch (error) {
    // a read changes nothing: any error is a definite fail
    return isRead ? { type: "fail", value: null, error: error instanceof Error ? error.message : String(error) } : redisFailure(value, error);
  }
}

export function makeRedisWorkload(name: RedisWorkloadName): Workload<Redis> {
  if (name === "register") {
    return {
      next: (random) => (random.float() < 0.5 ? { f: "read", value: null } : { f: "write", value: random.int(REGISTER_VALUES) }),
      perform: (redis, op) =>
        op.f === "read"
          ? attempt(null, true, async () => {
              const v = await redis.get(REGISTER_KEY);
              return v === null ? null : Number(v);
            })
          : attempt(op.value, false, async () => {
              await redis.set(REGISTER_KEY, String(op.value));
              return op.value;
            }),
    };
  }
  let nextElement = 0;
  const readAll = { f: "read", value: null };
  return {
    next: (random) => (random.float() < 0.9 ? { f: "add", value: nextElement++ } : readAll),
    perform: (redis, op) =>
      op.f === "read"
        ? attempt(null, true, async () => (await redis.smembers(SET_KEY)).map(Number).sort((a, b) => a - b))
        : attempt(op.value, false, async () => {
            await redis.sadd(SET_KEY, String(op.value));
            return op.value;
          }),
    final: readAll,
  };
}
