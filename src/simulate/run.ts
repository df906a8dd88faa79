/** A simulation as the CLI runs it: the history to a file or stdout, the truth beside it. */
import { writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { fileSink, streamSink, type ChunkSink } from "../recorder/sink.ts";
import { DEFAULT_OPTIONS, simulate, validateOptions, type SimulationOptions } from "./simulator.ts";
import type { Truth } from "./truth.ts";

/** `runs.ndjson` → `runs.truth.json`. */
export function truthPathFor(historyPath: string): string {
  return historyPath.replace(/\.(ndjson|jsonl|json)$/, "") + ".truth.json";
}

const FLAGS: Record<keyof SimulationOptions, string> = {
  behaviour: "--behaviour",
  workload: "--workload",
  nemesis: "--nemesis",
  nodes: "--nodes",
  clients: "--clients",
  seed: "--seed",
  ops: "--ops",
  faults: "--faults",
  tsResolution: "--ts-resolution",
};

/** The shortest command line that reproduces these options (defaults left out). */
export function commandFor(options: SimulationOptions, out: string | undefined): string {
  const parts = ["hindsight simulate"];
  for (const key of Object.keys(FLAGS) as (keyof SimulationOptions)[]) if (options[key] !== DEFAULT_OPTIONS[key]) parts.push(`${FLAGS[key]} ${options[key]}`);
  if (out !== undefined) parts.push(`-o ${out}`);
  return parts.join(" ");
}

/**
 * Simulates into `out` (stdout when undefined) and writes the truth to `truthOut`, by default
 * beside the history; returns the truth.
 */
export async function simulateToFile(options: SimulationOptions, out: string | undefined, truthOut = out === undefined ? undefined : truthPathFor(out)): Promise<Truth> {
  validateOptions(options);
  const sink: ChunkSink = out === undefined ? streamSink(process.stdout, false) : fileSink(out);
  const found = await simulate(options, sink);
  const truth: Truth = { history: out === undefined ? "-" : basename(out), command: commandFor(options, out === undefined ? undefined : basename(out)), ...found };
  if (truthOut !== undefined) await writeFile(truthOut, JSON.stringify(truth, null, 2) + "\n");
  return truth;
}
