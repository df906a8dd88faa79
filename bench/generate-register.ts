/**
 * Generates a linearizable register history: clients invoke read/write/cas, each takes effect
 * atomically at a point inside its interval; during the middle fifth a partition makes a third
 * of the operations fail or time out. Deterministic for a seed. Used by benchmarks and samples.
 */
import { createWriteStream } from "node:fs";

export function* registerHistory(ops: number, processes = 5, seed = 17): Generator<Record<string, unknown>> {
  let state = seed >>> 0 || 1;
  const random = (): number => {
    // xorshift32: fast, seeded, good enough for workloads
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  type Pending = { process: number; f: string; value: unknown; effectAt: number; doneAt: number; applied: boolean; outcome: "ok" | "fail" | "info"; result: unknown };
  let register: number | null = null;
  let time = 0;
  let emitted = 0;
  const pending: Pending[] = [];
  const nextProcess = Array.from({ length: processes }, (_, i) => i);
  const busy = new Set<number>();
  const partitionStart = Math.floor(ops * 0.4);
  const partitionEnd = Math.floor(ops * 0.6);
  let partitioned = false;
  while (emitted < ops || pending.length > 0) {
    time += Math.floor(random() * 2_000_000);
    if (!partitioned && emitted >= partitionStart && emitted < partitionEnd) {
      partitioned = true;
      yield { type: "invoke", f: "start-partition", value: "majority-minority", process: "nemesis", time };
      yield { type: "info", f: "start-partition", value: "cut n1 n2 / n3 n4 n5", process: "nemesis", time: time + 1000 };
      emitted += 2;
    } else if (partitioned && emitted >= partitionEnd) {
      partitioned = false;
      yield { type: "invoke", f: "stop-partition", value: null, process: "nemesis", time };
      yield { type: "info", f: "stop-partition", value: "fully connected", process: "nemesis", time: time + 1000 };
      emitted += 2;
    }
    // apply effects and complete operations whose moments have passed, in time order
    pending.sort((a, b) => a.effectAt - b.effectAt);
    for (const p of pending) {
      if (p.applied || p.effectAt > time) continue;
      p.applied = true;
      if (p.outcome === "fail") continue;
      if (p.f === "read") p.result = register;
      else if (p.f === "write") register = p.value as number;
      else {
        const [from, to] = p.value as [number, number];
        if (register === from) register = to;
        else if (p.outcome === "ok") p.outcome = "fail";
      }
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i]!;
      if (!p.applied || p.doneAt > time) continue;
      pending.splice(i, 1);
      busy.delete(p.process);
      const value = p.f === "read" ? (p.outcome === "ok" ? p.result : null) : p.value;
      yield { type: p.outcome, f: p.f, value, process: nextProcess[p.process % processes]!, time };
      emitted++;
      if (p.outcome === "info") nextProcess[p.process % processes]! += processes;
    }
    if (emitted >= ops) continue;
    const slot = Math.floor(random() * processes);
    if (busy.has(slot)) continue;
    busy.add(slot);
    const roll = random();
    const f = roll < 0.5 ? "read" : roll < 0.8 ? "write" : "cas";
    const value = f === "read" ? null : f === "write" ? Math.floor(random() * 5) : [Math.floor(random() * 5), Math.floor(random() * 5)];
    const latency = 1_000_000 + Math.floor(random() * 8_000_000);
    const troubled = partitioned && random() < 0.35;
    const outcome = troubled ? (random() < 0.5 ? "fail" : "info") : "ok";
    pending.push({ process: slot, f, value, effectAt: time + Math.floor(random() * latency), doneAt: time + (outcome === "info" ? latency * 5 : latency), applied: false, outcome, result: undefined });
    yield { type: "invoke", f, value, process: nextProcess[slot]!, time };
    emitted++;
  }
}

export async function writeRegisterHistory(path: string, ops: number, seed = 17): Promise<void> {
  const out = createWriteStream(path);
  let buffer = "";
  for (const op of registerHistory(ops, 5, seed)) {
    buffer += JSON.stringify(op) + "\n";
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once("drain", () => r()));
      buffer = "";
    }
  }
  out.end(buffer);
  await new Promise<void>((r) => out.on("finish", () => r()));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, ops, seed] = process.argv.slice(2);
  await writeRegisterHistory(path ?? "history.ndjson", Number(ops ?? 1000), Number(seed ?? 17));
}
