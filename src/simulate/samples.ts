/**
 * The histories shipped in `histories/`: the README's run-17 and one small sample per
 * behaviour × workload, each with its truth file. `npm run samples` rewrites them all, and a test
 * checks that the shipped bytes are what these options produce.
 */
import { BEHAVIOURS, WORKLOADS } from "./catalog.ts";
import { DEFAULT_OPTIONS, type SimulationOptions } from "./simulator.ts";

export interface Sample {
  file: string;
  options: SimulationOptions;
}

/** The fault each behaviour is known for: Kafka's came from isolating the leader. */
const NEMESIS_FOR: Record<string, string> = { isr: "isolate" };
/** Small enough for a linearizability search; rows need room for the final read of every row. */
/** A seed whose small runs show each behaviour's failure in the history (seed 17 happens to hide async-failover's stale reads). */
const SAMPLE_SEED = 2;
const OPS_FOR: Record<string, number> = { "lww-rows": 800 };
/** LWW rows stamped in milliseconds, as the talk's clients did: same-row writes within a millisecond tie. */
const tsResolutionFor = (behaviour: string, workload: string): number => (behaviour === "lww" && workload === "lww-rows" ? 1000 : 1);

export const SAMPLES: readonly Sample[] = [
  { file: "run-17.ndjson", options: DEFAULT_OPTIONS },
  ...BEHAVIOURS.flatMap((behaviour) =>
    WORKLOADS.filter((w) => behaviour.rejects(w.create()) === undefined).map((workload) => ({
      file: `${behaviour.name}-${workload.name}.ndjson`,
      options: { ...DEFAULT_OPTIONS, seed: SAMPLE_SEED, behaviour: behaviour.name, workload: workload.name, nemesis: NEMESIS_FOR[behaviour.name] ?? "partition", ops: OPS_FOR[workload.name] ?? 600, tsResolution: tsResolutionFor(behaviour.name, workload.name) },
    })),
  ),
];
