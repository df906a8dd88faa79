/**
 * npm run bench: NDJSON read throughput on a generated 1M-op history, in records/s:
 * - loaded: the full reader as `loadHistory` leaves it (parse, schema check, pairing into
 *   operations, all held);
 * - streamed: the same read as `streamHistory` does it for foldable checkers (each operation
 *   handed over as it completes, none held);
 * - for scale, the raw cost of splitting lines and JSON.parse alone (nothing checked or kept).
 * Each is run BENCH_ROUNDS times (default 3), interleaved, and the median is printed, by wall
 * clock and per CPU-second of the process (the machine may be shared: CPU time is what one core
 * gives; it includes the garbage collector's helper threads).
 */
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadHistory, streamHistory } from "../src/load.ts";
import { forEachLine } from "../src/parsers/lines.ts";
import { simulateToFile } from "../src/simulate/run.ts";
import { DEFAULT_OPTIONS } from "../src/simulate/simulator.ts";

const OPS = Number(process.env.BENCH_OPS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GOAL = 1_000_000;
const dir = join(tmpdir(), "hindsight-bench");
mkdirSync(dir, { recursive: true });
const file = join(dir, `simulated-register-${OPS}.ndjson`);
if (!existsSync(file)) await simulateToFile({ ...DEFAULT_OPTIONS, ops: OPS }, file);

interface Timing {
  wall: number;
  cpu: number;
}

async function timed(run: () => Promise<number>, records: number): Promise<Timing> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const read = await run();
  if (read !== records) throw new Error(`read ${read} records, expected ${records}`);
  const used = process.cpuUsage(cpu);
  return { wall: Number(process.hrtime.bigint() - start) / 1e9, cpu: (used.user + used.system) / 1e6 };
}

let records = 0;
await forEachLine(file, () => void records++);
console.log(`NDJSON history: ${records.toLocaleString("en")} records (${file}), ${ROUNDS} rounds, medians`);

const READS: [string, () => Promise<number>][] = [
  [
    "split lines + JSON.parse only",
    async () => {
      let n = 0;
      await forEachLine(file, (line) => void (JSON.parse(line), n++));
      return n;
    },
  ],
  ["loaded (parse + schema + pair, held)", async () => (await loadHistory(file)).recordCount],
  ["streamed (the same, handed over)", async () => (await streamHistory(file, {}, () => {})).recordCount],
];

const timings = READS.map((): Timing[] => []);
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < READS.length; i++) {
    const k = (i + round) % READS.length;
    timings[k]!.push(await timed(READS[k]![1], records));
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rate = (seconds: number): string => `${Math.round(records / seconds).toLocaleString("en")}`.padStart(10);
const rates = READS.map(([label], k) => {
  const wall = median(timings[k]!.map((t) => t.wall));
  const cpu = median(timings[k]!.map((t) => t.cpu));
  console.log(`${label.padEnd(38)} ${wall.toFixed(3)} s ${rate(wall)} records/s   ${cpu.toFixed(3)} CPU-s ${rate(cpu)} records/CPU-s`);
  return { wall: records / wall, cpu: records / cpu };
});
const [raw, loaded, streamed] = rates as [(typeof rates)[0], (typeof rates)[0], (typeof rates)[0]];
console.log(
  `loaded / raw JSON.parse: ${(loaded.wall / raw.wall).toFixed(2)} wall, ${(loaded.cpu / raw.cpu).toFixed(2)} CPU; streamed / raw: ${(streamed.wall / raw.wall).toFixed(2)} wall, ${(streamed.cpu / raw.cpu).toFixed(2)} CPU  (goal: loaded >= ${GOAL.toLocaleString("en")} records/s)`,
);
