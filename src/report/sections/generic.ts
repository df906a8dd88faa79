import type { CheckerResult } from "../../checkers/checker.ts";
import type { Section } from "../document.ts";

/** For a checker without a dedicated section: its summary and its evidence as data. */
export function genericSection(result: CheckerResult): Section {
  const evidence = JSON.stringify(result.evidence, null, 2) ?? "null";
  const lines = evidence.split("\n");
  const shown = lines.length > 200 ? [...lines.slice(0, 200), `… ${lines.length - 200} more lines in verdict.json`] : lines;
  return {
    id: result.checker,
    title: result.checker,
    valid: result.valid,
    blocks: [
      { kind: "paragraph", text: result.summary },
      { kind: "listing", caption: "Evidence", lines: shown },
    ],
  };
}
