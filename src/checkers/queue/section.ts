import type { Block, Section } from "../../report/document.ts";
import type { QueueElement } from "./queue-ops.ts";
import type { QueueResult } from "./queue.ts";
import type { TotalQueueResult } from "./total-queue.ts";

const ROWS_SHOWN = 50;

export function queueSection(result: QueueResult): Section {
  const { stats, evidence } = result;
  const blocks: Block[] = [
    { kind: "paragraph", text: result.summary },
    { kind: "table", headers: ["non-failed enqueues", "dequeued elements", "dequeues no enqueue explains", "may remain"], rows: [[String(stats.enqueues), String(stats.dequeues), String(stats.badDequeues), String(stats.remaining)]] },
  ];
  if (evidence.badDequeues.length > 0) {
    blocks.push({ kind: "table", headers: ["dequeue (operation)", "completed at index", "element"], rows: evidence.badDequeues.slice(0, ROWS_SHOWN).map((b) => [String(b.operationId), String(b.index), JSON.stringify(b.element)]) });
    if (stats.badDequeues > ROWS_SHOWN) blocks.push({ kind: "paragraph", text: `${stats.badDequeues - ROWS_SHOWN} more in verdict.json.` });
  }
  return { id: "queue", title: "Queue: every dequeue from an enqueue", valid: result.valid, blocks };
}

export function totalQueueSection(result: TotalQueueResult): Section {
  const { stats, evidence } = result;
  const blocks: Block[] = [
    { kind: "paragraph", text: result.summary },
    {
      kind: "table",
      headers: ["attempted", "acknowledged", "dequeued", "ok", "lost", "unexpected", "duplicated", "recovered", "crashed drains"],
      rows: [[stats.attempted, stats.acknowledged, stats.dequeued, stats.ok, stats.lost, stats.unexpected, stats.duplicated, stats.recovered, stats.crashedDrains].map(String)],
    },
  ];
  const listed: [string, string, QueueElement[]][] = [
    ["lost", "acknowledged, never dequeued — the enqueues", evidence.lost],
    ["unexpected", "dequeued, never enqueued — the dequeues", evidence.unexpected],
    ["duplicated", "dequeued more often than enqueued — the dequeues", evidence.duplicated],
    ["recovered", "enqueue outcome unknown, yet dequeued — enqueues and dequeues", evidence.recovered],
  ];
  for (const [name, meaning, elements] of listed) {
    if (elements.length === 0) continue;
    blocks.push({ kind: "table", headers: [`${name} element`, "copies", meaning], rows: elements.slice(0, ROWS_SHOWN).map((e) => [JSON.stringify(e.element), String(e.count), e.operationIds.join(", ")]) });
  }
  if (evidence.crashedDrainIds.length > 0) blocks.push({ kind: "paragraph", text: `Crashed drains (outcome unknown): operations ${evidence.crashedDrainIds.slice(0, 20).join(", ")}.` });
  return { id: "total-queue", title: "Total queue: what went in came out", valid: result.valid, blocks };
}
