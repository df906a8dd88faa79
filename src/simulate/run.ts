/** A simulation as the CLI runs it: the history to a file or stdout, the truth beside it. */
import { writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { OutputError } from "../history/errors.ts";
import { fileSink, type ChunkSink } from "../recorder/sink.ts";
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
 * Simulates into `out` (a file, or a function such as the CLI's stdout writer) and writes the
 * truth to `truthOut`, by default beside a history file; returns the truth.
 */
export async function simulateToFile(options: SimulationOptions, out: string | ((text: string) => void), truthOut = typeof out === "string" ? truthPathFor(out) : undefined): Promise<Truth> {
  validateOptions(options);
  const file = typeof out === "string" ? out : undefined;
  const sink: ChunkSink = file === undefined ? { write: (chunk) => (out as (text: string) => void)(chunk), end: () => undefined } : fileSink(file);
  // Everything that fails past validation is the output's failure (a full disk, a folder gone).
  const onOutput = (path: string) => (error: unknown): never => {
    throw error instanceof Error && "code" in error ? new OutputError(path, error) : error;
  };
  const found = await simulate(options, sink).catch(onOutput(file ?? "-"));
  const truth: Truth = { history: file === undefined ? "-" : basename(file), command: commandFor(options, file === undefined ? undefined : basename(file)), ...found };
  if (truthOut !== undefined) await writeFile(truthOut, JSON.stringify(truth, null, 2) + "\n").catch(onOutput(truthOut));
  return truth;
}
