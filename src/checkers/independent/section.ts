import type { CheckerResult } from "../checker.ts";
import type { History } from "../../history/history.ts";
import { isClientProcess } from "../../history/op.ts";
import type { Block, Section } from "../../report/document.ts";
import { validityWord } from "../../report/document.ts";
import { keyName, type PerKeyResult } from "./independent.ts";
import { splitByKey } from "./split.ts";

/** How many failing or undecided keys get the inner checker's whole section. */
const KEYS_DETAILED = 5;

/** A per-key result: the table of every key's verdict, then the inner section of each failing (else undecided) key, on that key's history. */
export function independentSection<Name extends string, Result extends CheckerResult>(result: PerKeyResult<Name, Result>, history: History, inner: ((result: Result, history: History) => Section) | undefined): Section {
  const evidence = result.evidence;
  const histories = new Map(splitByKey(history).map((k) => [k.key, k.history]));
  const blocks: Block[] = [
    { kind: "paragraph", text: result.summary },
    { kind: "paragraph", text: `Checked key by key: ${evidence.independent.reason}. The history is valid iff every key is.` },
    { kind: "table", headers: ["key", "verdict", "why"], rows: evidence.keys.map((k) => [{ text: JSON.stringify(k.key), timeline: timelineOf(k.result, histories.get(k.key)) }, validityWord(k.valid), k.summary]) },
  ];
  const detailed = [...evidence.keys.filter((k) => k.valid === false), ...evidence.keys.filter((k) => k.valid === "unknown")].slice(0, KEYS_DETAILED);
  for (const k of inner ? detailed : []) {
    const sub = histories.get(k.key);
    if (!sub) continue;
    const section = inner!(k.result, sub);
    // Each key's charts get their own ids: they name the chart files.
    const own = section.blocks.map((b): Block => (b.kind === "chart" ? { ...b, chart: { ...b.chart, id: `${b.chart.id}-key-${String(k.key).replace(/[^\w-]/g, "_")}` } } : b));
    blocks.push({ kind: "paragraph", text: `${keyName(k.key)} — ${section.title}:` }, ...own);
  }
  return { id: result.checker, title: `${result.checker} (per key)`, valid: result.valid, blocks };
}

/** Where a key's row opens the timeline: at its evidence when it has some, else across its first to last client op. */
function timelineOf(result: CheckerResult, history: History | undefined): number[] {
  if (result.focus !== undefined && result.focus.length > 0) return result.focus;
  const ops = history?.operations.filter((o) => isClientProcess(o.process)) ?? [];
  return ops.length === 0 ? [] : [...new Set([ops[0]!.id, ops.at(-1)!.id])];
}
