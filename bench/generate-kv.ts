/**
 * Writes a kv history in the format of Porcupine's kv logs (MIT 6.824-style get/put/append on
 * string values per key, one EDN map per line), from a simulated linearizable store: each op
 * takes effect at one instant inside its interval, a get returns the key's string there. The
 * store stalls now and then (a leader election, as in the lab's Raft tests): ops invoked
 * during a stall all take effect, in a random order, after it, so up to every client's op is
 * pending at once — what makes such histories hard to search. Appended values are
 * "x CLIENT N y", as in the lab. With `--stale N`, every N-th get misses its key's last append
 * (a stale read: the history is then, almost surely, not linearizable). Deterministic for a seed.
 *   node --import tsx bench/generate-kv.ts [--clients 50] [--keys 10] [--ops 34] [--seed 1] [--stale 0] > c50.txt
 */
import { pathToFileURL } from "node:url";
import { Random } from "../src/simulate/random.ts";

export interface KvOptions {
  clients: number;
  keys: number;
  /** Ops each client runs, one after another. */
  opsPerClient: number;
  seed: number;
  /** 0: a linearizable history; n: every n-th get is stale. */
  staleEvery: number;
}

interface KvOp {
  client: number;
  f: "get" | "put" | "append";
  key: string;
  value: string;
  call: number;
  effect: number;
  ret: number;
  output?: string;
}

/** The history's lines, in time order. */
export function kvHistory({ clients, keys, opsPerClient, seed, staleEvery }: KvOptions): string[] {
  const random = new Random(seed);
  // Stalls: [start, end) windows where nothing takes effect.
  const stalls: [number, number][] = [];
  for (let t = 5 + random.float() * 10; t < opsPerClient * 3; t += 8 + random.float() * 16) stalls.push([t, t + 2 + random.float() * 6]);
  const stalledUntil = (t: number): number => stalls.find(([start, end]) => t >= start && t < end)?.[1] ?? t;
  const ops: KvOp[] = [];
  for (let client = 0; client < clients; client++) {
    let t = random.float();
    for (let n = 0; n < opsPerClient; n++) {
      const roll = random.float();
      const f = roll < 0.52 ? "append" : roll < 0.94 ? "get" : "put";
      const effect = stalledUntil(t + 0.1 + random.float() * 0.9) + random.float() * 0.5;
      const ret = effect + random.float() * 0.5;
      ops.push({ client, f, key: String(random.int(keys)), value: f === "get" ? "" : `x ${client} ${n} y`, call: t, effect, ret });
      t = ret + random.float() * 0.2;
    }
  }
  const state = new Map<string, string>();
  const lastAppend = new Map<string, string>();
  let gets = 0;
  for (const op of [...ops].sort((a, b) => a.effect - b.effect)) {
    const before = state.get(op.key) ?? "";
    if (op.f === "get") {
      const stale = staleEvery > 0 && ++gets % staleEvery === 0 && lastAppend.has(op.key);
      op.output = stale ? before.slice(0, before.length - lastAppend.get(op.key)!.length) : before;
    } else {
      state.set(op.key, op.f === "put" ? op.value : before + op.value);
      if (op.f === "append") lastAppend.set(op.key, op.value);
      else lastAppend.delete(op.key);
    }
  }
  const edn = (s: string | undefined): string => (s === undefined ? "nil" : JSON.stringify(s));
  const events = ops.flatMap((op) => [
    { at: op.call, line: `{:process ${op.client}, :type :invoke, :f :${op.f}, :key "${op.key}", :value ${op.f === "get" ? "nil" : edn(op.value)}}` },
    { at: op.ret, line: `{:process ${op.client}, :type :ok, :f :${op.f}, :key "${op.key}", :value ${edn(op.f === "get" ? op.output : op.value)}}` },
  ]);
  return events.sort((a, b) => a.at - b.at).map((e) => e.line);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: number): number => {
    const at = args.indexOf(`--${name}`);
    return at === -1 ? fallback : Number(args[at + 1]);
  };
  const lines = kvHistory({ clients: flag("clients", 50), keys: flag("keys", 10), opsPerClient: flag("ops", 34), seed: flag("seed", 1), staleEvery: flag("stale", 0) });
  process.stdout.write(`${lines.join("\n")}\n`);
}
