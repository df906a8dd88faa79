/**
 * npm run bench:edn: reading a Jepsen EDN history, Hindsight's streaming reader against
 * edn-data (whole string, and its list stream), on a generated Knossos-style history
 * (one top-level vector of op maps). Records/s and peak heap, measured in the same run.
 * Then the full load (read, Jepsen op mapping, schema, pairing) of the same ops written as
 * NDJSON, a JSON array and EDN, as ratios to NDJSON.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { parseEDNString } from "edn-data";
import { parseEDNListStream } from "edn-data/dist/stream.js";
import { loadHistory } from "../src/load.ts";
import { readEdnRecords } from "../src/parsers/edn.ts";
import { forEachLine, readChunks } from "../src/parsers/lines.ts";
import type { ParseSink } from "../src/parsers/parser.ts";
import { simulateToFile } from "../src/simulate/run.ts";
import { DEFAULT_OPTIONS } from "../src/simulate/simulator.ts";

const OPS = Number(process.env.BENCH_OPS ?? 200_000);
const dir = join(tmpdir(), "hindsight-bench");
mkdirSync(dir, { recursive: true });
const ndjsonFile = join(dir, `simulated-register-${OPS}.ndjson`);
const file = join(dir, `simulated-register-${OPS}.edn`);
const jsonFile = join(dir, `simulated-register-${OPS}.json`);

/** EDN for one op map as Knossos writes it. */
function edn(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (Array.isArray(value)) return `[${value.map(edn).join(" ")}]`;
  if (typeof value === "string") return /^[a-z][\w-]*$/.test(value) ? `:${value}` : JSON.stringify(value);
  if (typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `:${k} ${k === "process" && typeof v === "number" ? v : edn(v)}`).join(", ")}}`;
  return String(value);
}

if (!existsSync(ndjsonFile)) await simulateToFile({ ...DEFAULT_OPTIONS, ops: OPS }, ndjsonFile);

/** Rewrites the simulated history as `open`, each op printed by `print`, `separator` between, then `close`. */
async function rewrite(path: string, open: string, print: (op: unknown) => string, separator: string, close: string): Promise<void> {
  if (existsSync(path)) return;
  const out = createWriteStream(path);
  let buffer = open;
  let first = true;
  await forEachLine(ndjsonFile, (line) => {
    if (!line) return;
    buffer += `${first ? "" : separator}${print(JSON.parse(line))}`;
    first = false;
  });
  out.end(buffer + close);
  await once(out, "finish");
}
await rewrite(file, "[", edn, "\n ", "]\n");
await rewrite(jsonFile, "[", JSON.stringify, ",\n", "]\n");

const options = { mapAs: "object", keywordAs: "string", listAs: "array", setAs: "array", symbolAs: "string", charAs: "string" } as const;
const sink: ParseSink = { op() {}, bad: (line, column, reason) => void console.error(`${line}:${column}: ${reason}`), ignored() {}, annotate() {} };

async function timed(label: string, run: () => Promise<number>): Promise<void> {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const start = process.hrtime.bigint();
  const records = await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  console.log(`${label.padEnd(32)} ${records} records  ${seconds.toFixed(3)} s  ${Math.round(records / seconds).toLocaleString("en")} records/s  peak heap +${((peak - heapBefore) / 2 ** 20).toFixed(0)} MB`);
}

console.log(`EDN history: ${OPS.toLocaleString("en")} ops, ${(statSync(file).size / 2 ** 20).toFixed(1)} MB (${file})`);
for (let round = 0; round < 2; round++) {
  await timed("hindsight streaming reader", async () => {
    let n = 0;
    await readEdnRecords(readChunks(file), sink, () => void n++);
    return n;
  });
  await timed("edn-data parseEDNString", async () => (parseEDNString(readFileSync(file, "utf8"), options) as unknown[]).length);
  await timed("edn-data list stream (1 vector)", async () => {
    let n = 0;
    const stream = createReadStream(file, { encoding: "utf8" }).pipe(parseEDNListStream(options));
    for await (const _ of stream) n++;
    return n;
  });
}

console.log("\nfull load (read + mapping + schema + pairing), same ops:");
for (let round = 0; round < 2; round++) {
  const rates: Record<string, number> = {};
  for (const path of [ndjsonFile, jsonFile, file]) {
    const start = process.hrtime.bigint();
    const history = await loadHistory(path);
    rates[history.format] = history.recordCount / (Number(process.hrtime.bigint() - start) / 1e9);
  }
  console.log(Object.entries(rates).map(([format, rate]) => `${format} ${Math.round(rate).toLocaleString("en")} records/s (${(rate / rates.ndjson!).toFixed(2)}×)`).join("   "));
}
