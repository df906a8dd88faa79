/**
 * npm run bench:set-counter: set-full, counter and lww on generated histories at n and 2n, in
 * the same run, so the ratio shows how each scales. CPU time, not wall time: the machine is
 * shared, and wall time there varies twofold between runs.
 * set-full's work is the total size of its reads, so it is reported per element read as well.
 */
import { checkCounter } from "../src/checkers/counter/counter.ts";
import { checkLww } from "../src/checkers/lww/lww.ts";
import { checkSetFull } from "../src/checkers/set/set-full.ts";
import type { History } from "../src/history/history.ts";
import type { RawOp } from "../src/history/op.ts";
import { Pairer } from "../src/history/pair.ts";

const N = Number(process.env.BENCH_N ?? 20_000);

function history(records: RawOp[]): History {
  const pairer = new Pairer();
  records.forEach((r, i) => pairer.add({ ...r, time: i * 1e6 }));
  return { file: "bench", format: "ndjson", recordCount: records.length, operations: pairer.finish(), skipped: [], skippedCount: 0, warnings: [], annotations: {} };
}

function pair(process: number, f: string, value: unknown, output: unknown = value): RawOp[] {
  return [
    { type: "invoke", f, process, value },
    { type: "ok", f, process, value: output },
  ];
}

/** n adds; a read every 100 adds of everything so far, except every 7th element after it was read twice. */
function setFullHistory(n: number): { history: History; elementsRead: number } {
  const records: RawOp[] = [];
  let elementsRead = 0;
  for (let i = 0; i < n; i++) {
    records.push(...pair(0, "add", i));
    if (i % 100 === 99) {
      const seen = Array.from({ length: i + 1 }, (_, e) => e).filter((e) => e % 7 !== 0 || i - e < 200);
      elementsRead += seen.length;
      records.push(...pair(1, "read", null, seen));
    }
  }
  return { history: history(records), elementsRead };
}

function counterHistory(n: number): History {
  const records: RawOp[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    records.push(...pair(0, "add", 1));
    total++;
    if (i % 10 === 9) records.push(...pair(1, "read", null, total));
  }
  return history(records);
}

function lwwHistory(n: number): History {
  const records: RawOp[] = [];
  for (let row = 0; row < n; row++) {
    const ts = row * 1000 + 1;
    records.push(...pair(0, "write", { row, cells: { a: 2 * row, b: -2 * row }, ts }));
    records.push(...pair(1, "write", { row, cells: { a: 2 * row + 1, b: -2 * row - 1 }, ts: row % 250 === 0 ? ts : ts + 500 }));
    records.push(...pair(2, "read", { row }, { row, cells: row % 250 === 0 ? { a: 2 * row + 1, b: -2 * row } : { a: 2 * row + 1, b: -2 * row - 1 } }));
  }
  return history(records);
}

/** CPU milliseconds (user + system) of this process: steadier than wall time on a shared machine. */
function time(run: () => unknown): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const rows: string[] = [];
for (const [name, build, check] of [
  ["set-full", (n: number) => setFullHistory(n).history, checkSetFull],
  ["counter", counterHistory, checkCounter],
  ["lww", lwwHistory, checkLww],
] as const) {
  const small = build(N);
  const large = build(2 * N);
  check(small); // warm up
  const a = time(() => check(small));
  const b = time(() => check(large));
  rows.push(`${name.padEnd(9)} n=${N}: ${a.toFixed(0)} ms   2n: ${b.toFixed(0)} ms   ratio ${(b / a).toFixed(2)}`);
}
const { history: h, elementsRead } = setFullHistory(N);
const ms = time(() => checkSetFull(h));
rows.push(`set-full: ${elementsRead.toLocaleString("en")} elements read in ${ms.toFixed(0)} ms = ${((elementsRead / ms) * 1000).toExponential(2)} elements/s`);
console.log(rows.join("\n"));
