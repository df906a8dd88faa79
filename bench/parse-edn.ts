/**
 * npm run bench:edn: reading a Jepsen EDN history, Hindsight's streaming reader against
 * edn-data (whole string, and its list stream), on a generated Knossos-style history
 * (one top-level vector of op maps). Records/s and peak heap, measured in the same run.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { parseEDNString } from "edn-data";
import { parseEDNListStream } from "edn-data/dist/stream.js";
import { readEdnRecords } from "../src/parsers/edn.ts";
import { forEachLine, readChunks } from "../src/parsers/lines.ts";
import type { ParseSink } from "../src/parsers/parser.ts";
import { simulateToFile } from "../src/simulate/run.ts";
import { DEFAULT_OPTIONS } from "../src/simulate/simulator.ts";

const OPS = Number(process.env.BENCH_OPS ?? 200_000);
const dir = join(tmpdir(), "hindsight-bench");
mkdirSync(dir, { recursive: true });
const file = join(dir, `register-${OPS}.edn`);

/** EDN for one op map as Knossos writes it. */
function edn(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (Array.isArray(value)) return `[${value.map(edn).join(" ")}]`;
  if (typeof value === "string") return /^[a-z][\w-]*$/.test(value) ? `:${value}` : JSON.stringify(value);
  if (typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `:${k} ${k === "process" && typeof v === "number" ? v : edn(v)}`).join(", ")}}`;
  return String(value);
}

if (!existsSync(file)) {
  const simulated = join(dir, `simulated-register-${OPS}.ndjson`);
  if (!existsSync(simulated)) await simulateToFile({ ...DEFAULT_OPTIONS, ops: OPS }, simulated);
  const out = createWriteStream(file);
  out.write("[");
  let buffer = "";
  await forEachLine(simulated, (line) => {
    if (line) buffer += `${edn(JSON.parse(line))}\n `;
  });
  out.write(buffer);
  out.write("]\n");
  out.end();
  await once(out, "finish");
}

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
