import type { LinearizableResult } from "./linearizable.ts";
import { MODELS } from "./models.ts";
import { semanticsMeaning } from "./semantics.ts";
import { staleRead } from "./stale-read.ts";
import { opName, orList, show } from "./model.ts";
import type { History } from "../../history/history.ts";
import type { Operation } from "../../history/op.ts";
import { validityWord, type Block, type Section } from "../../report/document.ts";
import { nodeOf } from "../../report/nodes.ts";

/** The verdict in a paragraph; for a violation, the ops that make it as a numbered op listing. */
export function linearizableSection(result: LinearizableResult, history: History): Section {
  const blocks: Block[] = [{ kind: "paragraph", text: result.summary }];
  const section: Section = { id: "linearizable", title: "Linearizability", valid: result.valid, blocks };
  const { evidence, stats } = result;
  if (!("model" in evidence)) return section;
  const independent = evidence.independent ? ` Checked key by key: ${evidence.independent.reason}.` : "";
  blocks.push({
    kind: "paragraph",
    text: `Model ${evidence.model} (${evidence.modelReason}), initially ${show(evidence.initial)}; ${evidence.semantics} semantics (${evidence.semanticsReason}): ${semanticsMeaning(evidence.semantics)}${semanticsMatter(evidence.model) ? "" : ` (the same for every semantics on ${evidence.model})`}. ${stats.operations} ops may have taken effect (${stats.failedRemoved} failed ops never did${(stats.failedKept ?? 0) > 0 ? `; ${stats.failedKept} failed ops observed the state` : ""}; ${stats.unknownReadsRemoved} reads with unknown results constrain nothing${(stats.nilReadsForgotten ?? 0) > 0 ? `; ${stats.nilReadsForgotten} ok reads of nil match any state` : ""}), in ${stats.parts} independent part${stats.parts === 1 ? "" : "s"}: ${stats.byFastPath} decided by the unique-value fast path, ${stats.bySearch} by the search (${stats.searchSteps} steps, ${stats.configurations} configurations remembered).${independent}`,
  });
  if (evidence.strictDisagrees.length > 0) {
    blocks.push({ kind: "paragraph", text: "Warning: these pass only because Knossos's semantics lets an ok read of nil match any state; read strictly (--semantics strict) they cannot be linearized:" });
    blocks.push({ kind: "list", items: evidence.strictDisagrees.map((d) => `${d.part}: ${d.culpritText}${d.states.length > 0 ? ` (the ${evidence.model} can only hold ${orList(d.states)} there)` : ""}`) });
  }
  if (evidence.partResults.length > 1) {
    blocks.push({
      kind: "table",
      headers: ["part", "ops", "verdict", "method", "steps", "culprit"],
      rows: evidence.partResults.map((r) => [r.part, String(r.ops), validityWord(r.valid), r.method, String(r.steps), r.culprit === undefined ? (r.culpritText ?? "") : { text: r.culpritText ?? "", timeline: [r.culprit] }]),
    });
  }
  if (evidence.undecided.length > 0) blocks.push({ kind: "list", items: evidence.undecided.map((u) => `${u.part}: ${u.reason}`) });
  const v = evidence.violation;
  if (!v) return section;
  const byId = new Map(history.operations.map((o) => [o.id, o]));
  const order = new Map(v.prefix.map((id, i) => [id, i + 1]));
  // A streamed history keeps only a sample of its ops: the stale-read proof needs every write, the listing what the sample has.
  const culprit = byId.get(v.culprit);
  const stale = evidence.parts === 1 && evidence.model === "register" && culprit && history.sampledFrom === undefined ? staleRead(culprit, history.operations) : undefined;
  // Only the ops that make the violation: the culprit, the ops that set the states it contradicts, the ops concurrent with it.
  const making = [...new Set([...v.involved, ...v.concurrent, ...(stale ? [stale.returned.id, stale.missed.id] : [])])];
  const shown = making.flatMap((id) => byId.get(id) ?? []).sort((a, b) => a.invokeIndex - b.invokeIndex);
  const unsampled = making.length - shown.length;
  const shownIds = new Set(shown.map((o) => o.id));
  const notShown = v.prefix.filter((id) => !shownIds.has(id)).length;
  blocks.push({
    kind: "paragraph",
    text:
      v.prefix.length > 0 || v.states.length > 0
        ? `The search found a valid order for ${v.prefix.length} op${v.prefix.length === 1 ? "" : "s"} (numbered below); in every configuration it reached where ${v.culpritText} had to take effect, the ${evidence.model} held ${orList(v.states) || "a value"} — none allows it. ${v.concurrent.length} op${v.concurrent.length === 1 ? " was" : "s were"} concurrent with it.`
        : `${v.culpritText} cannot be linearized: ${v.reason ?? "no order of the ops allows it"}. The ops the proof rests on are listed.`,
  });
  if (stale) {
    const { returned: r, missed: m } = stale;
    blocks.push({ kind: "paragraph", text: `A stale read: it returned ${show(r.input)}, written by op ${r.id} (index ${r.invokeIndex}–${r.completeIndex}); op ${m.id} then wrote ${show(m.input)} (index ${m.invokeIndex}–${m.completeIndex}), beginning after op ${r.id} ended and ending before the read began, so the read should have seen it or a later write.` });
  }
  const omitted = notShown === 0 ? "" : `; ${notShown} other op${notShown === 1 ? "" : "s"} of the order found not listed (verdict.json's prefix has them all)`;
  const streamed = unsampled === 0 ? "" : `; the history streamed and its sample lacks ${unsampled} of these ops (verdict.json names them all)`;
  blocks.push({
    kind: "listing",
    caption: `The ops that make the violation: the culprit, the last op that set each state it contradicts, the ops concurrent with it (${evidence.parts > 1 ? `${v.part}; ` : ""}order = position in the linearization found; index = invoke–completion${omitted}${streamed})`,
    lines: [header(), ...shown.map((o) => line(o, order.get(o.id), o.id === v.culprit))],
  });
  return section;
}

/** Whether the semantics can change a verdict on this model: only models with nil reads or observing failed ops. */
function semanticsMatter(model: string): boolean {
  const m = MODELS.find((candidate) => candidate.name === model);
  return m?.forgetNilReads !== undefined || m?.failedObserves !== undefined;
}

function header(): string {
  return `${"order".padStart(5)}  ${"index".padEnd(11)}  ${"process".padEnd(8)}  ${"op".padEnd(28)}  outcome`;
}

function line(o: Operation, order: number | undefined, culprit: boolean): string {
  const index = `${o.invokeIndex}–${o.completeIndex ?? "…"}`;
  const returned = o.outcome === "ok" && o.output !== undefined && show(o.output) !== show(o.input);
  const value = returned ? `${o.input == null ? "" : `${show(o.input)} `}→ ${show(o.output)}` : show(o.input);
  const op = `${opName(o.f)} ${value}`;
  const node = nodeOf(o) === undefined ? "" : `  (node ${nodeOf(o)})`;
  return `${(order === undefined ? "–" : String(order)).padStart(5)}  ${index.padEnd(11)}  ${String(o.process).padEnd(8)}  ${op.padEnd(28)}  ${o.outcome}${node}${culprit ? "   ← cannot be linearized" : ""}`;
}
