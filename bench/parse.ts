/**
 * npm run bench: NDJSON parse + pair throughput on a generated 1M-op history.
 * Prints ops/s for the full reader (parse, schema check, pairing) and, for scale, the raw cost
 * of splitting lines and JSON.parse alone, measured in the same run.
 */
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadHistory } from "../src/load.ts";
import { forEachLine } from "../src/parsers/lines.ts";
import { simulateToFile } from "../src/simulate/run.ts";
import { DEFAULT_OPTIONS } from "../src/simulate/simulator.ts";

const OPS = Number(process.env.BENCH_OPS ?? 1_000_000);
const dir = join(tmpdir(), "hindsight-bench");
mkdirSync(dir, { recursive: true });
const file = join(dir, `simulated-register-${OPS}.ndjson`);
if (!existsSync(file)) await simulateToFile({ ...DEFAULT_OPTIONS, ops: OPS }, file);

async function timed<T>(label: string, ops: number, run: () => Promise<T>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = ops / seconds;
  console.log(`${label.padEnd(34)} ${seconds.toFixed(3)} s  ${Math.round(rate).toLocaleString("en")} ops/s`);
  return rate;
}

console.log(`NDJSON history: ${OPS.toLocaleString("en")} records (${file})`);
let records = 0;
await forEachLine(file, () => void records++);
const baseline = await timed("split lines + JSON.parse only", records, () => forEachLine(file, (line) => void JSON.parse(line)));
const full = await timed("parse + validate + pair", records, async () => {
  const h = await loadHistory(file);
  if (h.recordCount !== records) throw new Error(`read ${h.recordCount} records, expected ${records}`);
});
console.log(`full reader / raw JSON.parse throughput: ${(full / baseline).toFixed(2)}  (floor: 500,000 ops/s)`);
