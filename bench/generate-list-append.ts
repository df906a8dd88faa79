/**
 * Generates a list-append transaction history from a simulated strictly serializable store:
 * each txn takes effect atomically at its completion, so its reads see every txn completed
 * before it. Keys retire after a fixed number of appends (as Elle's generator does), which
 * keeps lists short. With `anomalyEvery`, every n-th txn's first read is stale (it misses the
 * key's last append): a G-single (or -realtime) cycle. Deterministic for a seed.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { RawOp } from "../src/history/op.ts";

export interface ListAppendOptions {
  processes?: number;
  /** Keys in use at once, and appends per key before it retires. */
  activeKeys?: number;
  appendsPerKey?: number;
  /** 0 = clean; n = corrupt one read in every n txns. */
  anomalyEvery?: number;
  seed?: number;
}

type MicroOp = [string, number, number | number[] | null];

export function* listAppendHistory(txns: number, options: ListAppendOptions = {}): Generator<RawOp> {
  const { processes = 10, activeKeys = 8, appendsPerKey = 16, anomalyEvery = 0, seed = 42 } = options;
  let s = seed >>> 0;
  // mulberry32: small, fast, seeded.
  const random = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const lists = new Map<number, number[]>();
  const keys = Array.from({ length: activeKeys }, (_, i) => i);
  let nextKey = activeKeys;
  let nextValue = 1;
  const pending: { process: number; mops: MicroOp[]; corrupt: boolean }[] = [];
  const idle = Array.from({ length: processes }, (_, i) => i);
  let invoked = 0;
  let time = 0;
  while (invoked < txns || pending.length > 0) {
    time += 1000;
    if (invoked < txns && idle.length > 0 && (pending.length === 0 || random() < 0.5)) {
      const process = idle.splice(Math.floor(random() * idle.length), 1)[0]!;
      const mops: MicroOp[] = [];
      const n = 1 + Math.floor(random() * 4);
      for (let i = 0; i < n; i++) mops.push(random() < 0.5 ? ["r", keys[Math.floor(random() * keys.length)]!, null] : ["append", keys[Math.floor(random() * keys.length)]!, nextValue++]);
      invoked++;
      pending.push({ process, mops, corrupt: anomalyEvery > 0 && invoked % anomalyEvery === 0 });
      yield { type: "invoke", f: "txn", process, value: mops.map((m) => [...m]), time };
      continue;
    }
    const txn = pending.splice(Math.floor(random() * pending.length), 1)[0]!;
    let corrupt = txn.corrupt;
    const done = txn.mops.map(([f, k, v]): MicroOp => {
      const list = lists.get(k) ?? [];
      if (f === "append") {
        list.push(v as number);
        lists.set(k, list);
        return [f, k, v];
      }
      const seen = corrupt && list.length > 0 ? list.slice(0, -1) : list.slice();
      if (corrupt && list.length > 0) corrupt = false;
      return [f, k, seen];
    });
    for (const [f, k] of txn.mops) {
      if (f === "append" && lists.get(k)!.length >= appendsPerKey) {
        const i = keys.indexOf(k);
        if (i >= 0) keys[i] = nextKey++;
      }
    }
    idle.push(txn.process);
    yield { type: "ok", f: "txn", process: txn.process, value: done, time };
  }
}

/** The same history as an NDJSON file (what `hindsight analyze` reads), written in 1 MB pieces; returns its size in bytes. */
export function writeListAppendNdjson(path: string, txns: number, options: ListAppendOptions = {}): number {
  const fd = openSync(path, "w");
  let bytes = 0;
  let piece = "";
  const flush = (): void => {
    bytes += writeSync(fd, piece);
    piece = "";
  };
  try {
    for (const op of listAppendHistory(txns, options)) {
      piece += `${JSON.stringify(op)}\n`;
      if (piece.length >= 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return bytes;
}
