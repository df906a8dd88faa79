/**
 * What the nemesis does and when, decided up front and purely (from the seed), so the schedule
 * and the partitions can be tested without a cluster. Actuation lives in `faults.ts`.
 */
import type { Random } from "../simulate/random.ts";

/** Every fault a collector knows; each system offers those that make sense for it (System.nemeses). */
export const NEMESES = ["none", "isolate-leader", "isolate-primary", "majority-minority", "bridge", "pause", "kill", "cut-client"] as const;
export type NemesisKind = (typeof NEMESES)[number];

/** Faults that cut links between members. isolate-primary is isolate-leader in a primary/replica system's words. */
export const PARTITIONS: readonly NemesisKind[] = ["isolate-leader", "isolate-primary", "majority-minority", "bridge"];

/** The op names written for a fault's start and its end (the stats checker knows these words). */
export function faultOpNames(kind: Exclude<NemesisKind, "none">): { start: string; stop: string } {
  if (kind === "pause") return { start: "pause", stop: "resume" };
  if (kind === "kill") return { start: "kill", stop: "restart" };
  // cut-client is a partition too, between the clients and the server
  return { start: "start-partition", stop: "stop-partition" };
}

export interface NemesisEvent {
  atMs: number;
  phase: "start" | "stop";
}

/** The rhythm of a 20-second run: 3 s quiet, then 5 s of fault and 5 s of healing, done 2 s before the end. */
export const TIMING = { quietMs: 3000, faultMs: 5000, healMs: 5000, tailMs: 2000, referenceMs: 20_000 } as const;

/**
 * Start/stop pairs from a quiet start to a healed end, so every fault is preceded and followed
 * by healthy operation. Runs shorter than 20 s shrink the rhythm proportionally; longer runs
 * repeat it.
 */
export function nemesisSchedule(kind: NemesisKind, durationMs: number): NemesisEvent[] {
  if (kind === "none") return [];
  const scale = Math.min(1, durationMs / TIMING.referenceMs);
  const [quiet, fault, heal, tail] = [TIMING.quietMs, TIMING.faultMs, TIMING.healMs, TIMING.tailMs].map((ms) => ms * scale) as [number, number, number, number];
  const events: NemesisEvent[] = [];
  for (let start = quiet; start + fault <= durationMs - tail; start += fault + heal) {
    events.push({ atMs: start, phase: "start" }, { atMs: start + fault, phase: "stop" });
  }
  return events;
}

/** Members are numbered 0..n−1 and named n1..nN. */
export function memberName(member: number): string {
  return `n${member + 1}`;
}

export interface PartitionPlan {
  /** Unordered pairs of members that must not hear each other, each as [lower, higher]. */
  cut: Array<[number, number]>;
  /** For the history: e.g. "isolate n3 (leader) from n1 n2 n4 n5". */
  description: string;
}

/**
 * Which links a partition cuts. `leader` is the member the cluster reported as leader, if any;
 * isolate-leader falls back to a random member when there is none.
 */
export function partitionPlan(kind: NemesisKind, members: number, random: Random, leader: number | undefined): PartitionPlan {
  const all = Array.from({ length: members }, (_, i) => i);
  const names = (group: number[]): string => [...group].sort((a, b) => a - b).map(memberName).join(" ");
  switch (kind) {
    case "isolate-leader":
    case "isolate-primary": {
      const role = kind === "isolate-leader" ? "leader" : "primary";
      const target = leader ?? random.int(members);
      const rest = all.filter((m) => m !== target);
      return { cut: between([target], rest), description: `isolate ${memberName(target)}${leader === undefined ? ` (no ${role} known)` : ` (${role})`} from ${names(rest)}` };
    }
    case "majority-minority": {
      const order = random.shuffled(all);
      const minority = order.slice(0, Math.floor(members / 2));
      const majority = order.slice(minority.length);
      return { cut: between(minority, majority), description: `cut ${names(minority)} / ${names(majority)}` };
    }
    case "bridge": {
      // Jepsen's bridge: two halves that cannot talk, and one member that talks to both.
      const order = random.shuffled(all);
      const half = Math.floor((members - 1) / 2);
      const bridge = order[half]!;
      const left = order.slice(0, half);
      const right = order.slice(half + 1);
      return { cut: between(left, right), description: `bridge ${memberName(bridge)} between ${names(left)} / ${names(right)}` };
    }
    default:
      throw new RangeError(`${kind} is not a partition`);
  }
}

/** The member a pause or kill hits: the leader when one is known (the fault that matters most), else a random one. */
export function faultTarget(members: number, random: Random, leader: number | undefined): number {
  return leader ?? random.int(members);
}

function between(a: number[], b: number[]): Array<[number, number]> {
  return a.flatMap((x) => b.map((y): [number, number] => (x < y ? [x, y] : [y, x]))).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}
