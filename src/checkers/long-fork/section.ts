import type { Block, Section } from "../../report/document.ts";
import type { LongForkResult } from "./long-fork.ts";

const FORKS_SHOWN = 50;

export function longForkSection(result: LongForkResult): Section {
  const { stats, evidence } = result;
  const blocks: Block[] = [
    { kind: "paragraph", text: result.summary },
    {
      kind: "table",
      headers: ["group size", "from", "reads", "writes", "groups", "early reads (saw nothing)", "late reads (saw all)", "forking pairs"],
      rows: [[String(stats.groupSize ?? "—"), stats.groupSizeFrom === "option" ? "--group-size" : stats.groupSizeFrom, String(stats.reads), String(stats.writes), String(stats.groups), String(stats.earlyReads), String(stats.lateReads), String(stats.forkPairs)]],
    },
  ];
  if (evidence.forks.length > 0) {
    const key = (k: unknown): string => JSON.stringify(k);
    const write = (id: number | null): string => (id === null ? "not in the history" : `operation ${id}`);
    const seen = (state: [unknown, unknown][]): string => state.map(([k, v]) => `${key(k)}=${v === null ? "nil" : key(v)}`).join(" ");
    blocks.push({
      kind: "table",
      headers: ["read A", "A saw", "read B", "B saw", `write A saw, B did not`, "write B saw, A did not", "pairs like this"],
      rows: evidence.forks.slice(0, FORKS_SHOWN).map((f) => [`operation ${f.reads[0]}`, seen(f.states[0]), `operation ${f.reads[1]}`, seen(f.states[1]), `${key(f.keys[0])}: ${write(f.writes[0])}`, `${key(f.keys[1])}: ${write(f.writes[1])}`, String(f.pairs)]),
    });
    if (evidence.forks.length > FORKS_SHOWN) blocks.push({ kind: "paragraph", text: `${evidence.forks.length - FORKS_SHOWN} more forks in verdict.json.` });
  }
  const doubts: string[] = [
    ...evidence.multipleWrites.slice(0, 20).map((w) => `key ${JSON.stringify(w.key)} written by operations ${w.writeIds.join(", ")}`),
    ...evidence.conflicts.slice(0, 20).map((c) => `operations ${c.reads[0]} and ${c.reads[1]} read different values of key ${JSON.stringify(c.key)}`),
    ...(evidence.malformedReadIds.length > 0 ? [`reads not of one whole group: operations ${evidence.malformedReadIds.slice(0, 20).join(", ")}`] : []),
  ];
  if (doubts.length > 0) blocks.push({ kind: "list", items: doubts });
  return { id: "long-fork", title: "Long fork: reads that saw writes in conflicting orders", valid: result.valid, blocks };
}
