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
\`test/simulate/truth.test.ts\` checks with every registered checker the truth speaks about.
"none certain" means the simulator cannot be sure what a checker should say (e.g. a
non-linearizable store whose history happens to show no proof), so nothing is asserted.

\`run-17.ndjson\` is the README's example: a five-node \`majority\` cluster (like ZooKeeper),
a register workload, one majority/minority partition in the middle.

| history | command | records | expected verdicts | what went wrong inside |
|---|---|---|---|---|
${rows.join("\n")}

## Real histories (\`hindsight collect etcd\`)
Collected from etcd 3.4.23 on this machine (five members on 127.0.0.1–5, five clients, run as
root); \`npm run samples\` leaves them alone. A seed fixes the ops and the nemesis's choices, not
the timing, so a rerun gives a similar history, not the same one.

| history | command | what it shows |
|---|---|---|
| \`etcd-register-isolate-leader.ndjson\` | \`hindsight collect etcd --time 20 --seed 1\` | 20 s of a register (read/write) while the leader was isolated at 3 s and 13 s and healed at 8 s and 18 s: fail/info completions during the partitions, oks around them; \`analyze\`: valid (linearizable) |
| \`etcd-serializable-reads.ndjson\` | \`hindsight collect etcd --serializable-reads --nemesis isolate-leader --time 20 --seed 1\` | the same with serializable reads; \`analyze\`: invalid — at 4.9 s the isolated ex-leader n5 served a read of 2 (index 157) when, after the majority's writes, the register could only hold 0 or 3 |
`,
);
console.log(`${SAMPLES.length} histories written to ${dir}/`);
