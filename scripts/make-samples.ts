/** Rewrites histories/: every sample, its truth file, and histories/README.md's table. `npm run samples`. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { simulateToFile } from "../src/simulate/run.ts";
import { SAMPLES } from "../src/simulate/samples.ts";
import type { Truth } from "../src/simulate/truth.ts";

const dir = process.argv[2] ?? "histories";

function verdicts(truth: Truth): string {
  if (truth.expect.length === 0) return "none certain";
  return truth.expect.map((e) => `${e.checker}${e.consistencyModel ? ` (${e.consistencyModel})` : ""}: ${e.valid ? "valid" : "invalid"}`).join("; ");
}

const rows: string[] = [];
for (const sample of SAMPLES) {
  const truth = await simulateToFile(sample.options, join(dir, sample.file));
  rows.push(`| \`${sample.file}\` | \`${truth.command}\` | ${truth.records} | ${verdicts(truth)} | ${truth.violations.join("; ") || "—"} |`);
}

await writeFile(
  join(dir, "README.md"),
  `# Sample histories

Made by \`hindsight simulate\`, run in this folder (\`npm run samples\` rewrites them all; a test checks the bytes).
Each \`X.ndjson\` has a \`X.truth.json\` beside it: what the behaviour guarantees, what went wrong
inside the simulated cluster, and the verdicts Hindsight must reach (\`expect\`), which
\`test/simulate-truth.test.ts\` checks with every registered checker the truth speaks about.
"none certain" means the simulator cannot be sure what a checker should say (e.g. a
non-linearizable store whose history happens to show no proof), so nothing is asserted.

\`run-17.ndjson\` is the README's example: a five-node \`majority\` cluster (like ZooKeeper),
a register workload, one majority/minority partition in the middle.

| history | command | records | expected verdicts | what went wrong inside |
|---|---|---|---|---|
${rows.join("\n")}
`,
);
console.log(`${SAMPLES.length} histories written to ${dir}/`);
