import { max, min } from "d3-array";
import type { History } from "../../history/history.ts";
import { Plot, renderChart } from "../../report/charts.ts";
import type { Block, Section } from "../../report/document.ts";
import { faultWindowMarks, faultWindowNote, type FaultSpan } from "../../report/fault-windows.ts";
import type { SectionContext } from "../descriptor.ts";
import { BANK_ERROR_TYPES, type BankError, type BankFigures, type BankReadPoint, type BankResult } from "./bank.ts";

export function bankSection(result: BankResult, _history: History, context: SectionContext): Section {
  const { stats, evidence } = result;
  const source = (from: BankFigures["accountsFrom"]): string => (from === "option" ? "options" : from === "first-read" ? "the first ok read (elle-cli)" : "—");
  const blocks: Block[] = [
    { kind: "paragraph", text: result.summary },
    {
      kind: "table",
      headers: ["accounts", "from", "total", "from", "negative balances", "reads", "transfers", "wrong reads", "lowest total", "highest total"],
      rows: [[stats.accounts.join(" "), source(stats.accountsFrom), String(stats.totalAmount ?? "—"), source(stats.totalFrom), stats.negativeBalancesAllowed ? "allowed" : "errors", String(stats.reads), String(stats.transfers), String(stats.errorCount), String(stats.lowestTotal ?? "—"), String(stats.highestTotal ?? "—")]],
    },
  ];
  const types = BANK_ERROR_TYPES.filter((type) => evidence.errors[type]);
  if (types.length > 0) {
    blocks.push({
      kind: "table",
      headers: ["error", "reads", "first", "worst", "last", "lowest total", "highest total"],
      rows: types.map((type) => {
        const e = evidence.errors[type]!;
        return [type, String(e.count), describe(e.first), describe(e.worst), describe(e.last), e.lowest ? describe(e.lowest) : "", e.highest ? describe(e.highest) : ""];
      }),
    });
  }
  if (evidence.unjudgedIds.length > 0) blocks.push({ kind: "paragraph", text: `Not judged (not account → balance maps): operations ${evidence.unjudgedIds.slice(0, 20).join(", ")}${evidence.unjudgedIds.length > 20 ? ", …" : ""}.` });
  if (evidence.totals.length > 0) blocks.push(totalsChart(evidence.totals, stats, context.faultWindows));
  return { id: "bank", title: "Bank: the total of every read", valid: result.valid, blocks };
}

function describe(e: BankError): string {
  const what = e.accounts ? ` ${e.type === "unexpected-key" ? "accounts" : "nil"} ${e.accounts.join(" ")}` : e.negative ? ` negative ${e.negative.join(" ")}` : "";
  return `read ${e.readId}${e.node ? ` on ${e.node}` : ""}: total ${e.total}${what}`;
}

/** Symbols for a right read and each error type, in BANK_ERROR_TYPES order. */
const SYMBOLS = ["circle", "plus", "diamond", "times", "triangle"];

/** Each read's total over time, one colour per node that served it, fault windows shaded. */
function totalsChart(points: readonly BankReadPoint[], stats: BankFigures, windows: readonly FaultSpan[]): Block {
  const timed = points.every((p) => p.time !== undefined);
  const rows = points.map((p) => ({ x: timed ? p.time! / 1e9 : p.index, total: p.total, node: p.node ?? "all reads", status: p.error ?? "right" }));
  // Windows are in nanoseconds; an untimed history's x is its history index, where they cannot be placed.
  const shaded = timed ? windows : [];
  const sampled = stats.reads > points.length ? ` Sampled: ${points.length.toLocaleString("en")} of ${stats.reads.toLocaleString("en")} reads drawn, evenly spaced.` : "";
  const nodes = points.some((p) => p.node !== undefined) ? " Colour: the node that served the read." : "";
  const caption = `Each ok read at its completion; line = the expected total ${stats.totalAmount ?? ""}; crosses = wrong reads.${nodes}${faultWindowNote(shaded)}${sampled}`;
  const present = new Set(rows.map((r) => r.status));
  const statuses = (["right", ...BANK_ERROR_TYPES] as const).map((status, i) => [status, SYMBOLS[i]!] as const).filter(([status]) => present.has(status));
  const low = min(rows, (r) => r.total) ?? 0;
  const high = max(rows, (r) => r.total) ?? 0;
  const chart = renderChart("bank-totals", "Total of each read over time", caption, {
    width: 900,
    height: 320,
    x: { label: timed ? "read completed (s since start)" : "read completed (history index)" },
    // One total only (a valid history) still gets a readable axis around it.
    y: { label: "total of all balances", grid: true, ...(low === high ? { domain: [low - 1, high + 1] } : {}) },
    marginLeft: 60,
    color: { legend: true },
    symbol: { domain: statuses.map(([status]) => status), range: statuses.map(([, symbol]) => symbol), legend: true },
    marks: [
      ...faultWindowMarks(shaded),
      ...(stats.totalAmount === null ? [] : [Plot.ruleY([stats.totalAmount], { stroke: "#8c959f" })]),
      Plot.dot(rows, { x: "x", y: "total", stroke: "node", symbol: "status", r: 2.5 }),
    ],
  });
  return { kind: "chart", chart };
}
