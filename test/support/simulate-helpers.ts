/** Runs simulations in memory for tests: the history's text and records, and the truth. */
import { Pairer } from "../../src/history/pair.ts";
import type { Operation, RawOp } from "../../src/history/op.ts";
import { MemorySink } from "../../src/recorder/sink.ts";
import { DEFAULT_OPTIONS, simulate, type SimulationOptions } from "../../src/simulate/simulator.ts";

export interface SimulatedRun {
  text: string;
  records: RawOp[];
  operations: Operation[];
  warnings: number;
  truth: Awaited<ReturnType<typeof simulate>>;
}

export async function simulated(options: Partial<SimulationOptions>): Promise<SimulatedRun> {
  const sink = new MemorySink();
  const truth = await simulate({ ...DEFAULT_OPTIONS, ...options }, sink);
  const text = sink.text();
  const records = text.trim().split("\n").map((line) => JSON.parse(line) as RawOp);
  const pairer = new Pairer();
  for (const record of records) pairer.add(record);
  return { text, records, operations: pairer.finish(), warnings: pairer.warningCount, truth };
}
