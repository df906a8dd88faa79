import assert from "node:assert/strict";
import { analyzeFile } from "../../src/analyze.ts";
import type { SimulationOptions } from "../../src/simulate/simulator.ts";
import { writeTemp } from "./helpers.ts";
import { simulated } from "./simulate-helpers.ts";

/** A simulated history analyzed held and streamed (every operation folded one at a time): the same verdict. */
export async function assertStreamsAsHeld(options: Partial<SimulationOptions>, checkers: string[]): Promise<void> {
  const run = await simulated(options);
  const file = writeTemp("h.ndjson", run.text);
  const held = await analyzeFile(file, { checkers });
  const streamed = await analyzeFile(file, { checkers, streamThresholdBytes: 0 });
  assert.equal(streamed.history.sampledFrom, held.history.operations.length, "the analysis streamed");
  assert.deepEqual(streamed.verdict.checkers, held.verdict.checkers);
}
