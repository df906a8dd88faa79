import type { Block, Section } from "../../report/document.ts";
import type { UniqueIdsResult } from "./unique-ids.ts";

const DUPLICATES_SHOWN = 50;

export function uniqueIdsSection(result: UniqueIdsResult): Section {
  const { stats, evidence } = result;
  const range = stats.range === null ? "—" : `${JSON.stringify(stats.range[0])} … ${JSON.stringify(stats.range[1])}`;
  const blocks: Block[] = [
    { kind: "paragraph", text: result.summary },
    { kind: "table", headers: ["attempted", "acknowledged", "duplicated ids", "id range"], rows: [[String(stats.attempted), String(stats.acknowledged), String(stats.duplicated), range]] },
  ];
  if (evidence.duplicated.length > 0) {
    blocks.push({
      kind: "table",
      headers: ["id", "returned", "by operations"],
      rows: evidence.duplicated.slice(0, DUPLICATES_SHOWN).map((d) => [JSON.stringify(d.id), `${d.count} times`, `${d.operationIds.join(", ")}${d.count > d.operationIds.length ? ", …" : ""}`]),
    });
    if (stats.duplicated > DUPLICATES_SHOWN) blocks.push({ kind: "paragraph", text: `${stats.duplicated - DUPLICATES_SHOWN} more duplicated ids${stats.duplicated > evidence.duplicated.length ? ` (the ${evidence.duplicated.length} most duplicated in verdict.json)` : " in verdict.json"}.` });
  }
  return { id: "unique-ids", title: "Unique ids", valid: result.valid, blocks };
}
