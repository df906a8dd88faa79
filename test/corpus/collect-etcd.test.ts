/**
 * The real thing: a five-member etcd cluster on this machine, a register workload under an
 * isolate-leader partition, then analyze. Needs root, etcd, iptables and setpriv; skipped (with
 * the reason) otherwise. Uses addresses of its own (BLOCK) so a manual run on 127.0.0.1… is not disturbed.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { analyzeFile } from "../../src/analyze.ts";
import { CHECKERS } from "../../src/checkers/registry.ts";
import { COLLECT_DEFAULTS, collectEtcd } from "../../src/collect/etcd/collect.ts";
import { missingEtcdRequirements as missingRequirements } from "../../src/collect/etcd/preflight.ts";
import { tempDir } from "../support/helpers.ts";

/** A block of loopback addresses of this process's own, so parallel runs of the suite (several checkouts) never collide. */
const BLOCK = `127.${20 + (process.pid % 200)}.0`;

const missing = missingRequirements();
const skip = missing.length > 0 ? `collect etcd needs ${missing.map((m) => `${m.what} (${m.how})`).join(", ")}: skipped` : undefined;

/** Processes whose command line mentions a peer URL on `address`. */
function membersOn(address: string): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(`http://${address}:2380`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function rulesTagged(tag: string): string[] {
  return execFileSync("iptables-save", { encoding: "utf8" }).split("\n").filter((line) => line.includes(tag));
}

describe("collect etcd on a real cluster", { skip }, () => {
  it("20 s of a register under isolate-leader: errors during the partitions, oks around them, linearizable; nothing left behind", async () => {
    const output = join(tempDir(), "etcd.ndjson");
    const summary = await collectEtcd({ ...COLLECT_DEFAULTS, workload: "register", nemesis: "isolate-leader", serializableReads: false, seed: 17, output, firstAddress: `${BLOCK}.1` }, { log: () => undefined });
    assert.equal(summary.faults.length, 2);
    assert.deepEqual(membersOn(`${BLOCK}.1`), [], "no member survives");
    assert.deepEqual(rulesTagged(`hindsight-collect:${process.pid}`), [], "no iptables rule survives");

    const { history, verdict } = await analyzeFile(output, { checkers: ["auto"] });
    const windows = history.operations.filter((o) => o.process === "nemesis").map((o) => o.completeIndex!);
    assert.equal(windows.length, 4, "two cuts, two heals");
    const client = history.operations.filter((o) => typeof o.process === "number");
    const during = client.filter((o) => (o.invokeIndex > windows[0]! && o.invokeIndex < windows[1]!) || (o.invokeIndex > windows[2]! && o.invokeIndex < windows[3]!));
    assert.ok(during.some((o) => o.outcome !== "ok"), "some fail/info during the partitions");
    assert.ok(client.some((o) => o.outcome === "ok" && o.completeIndex! < windows[0]!), "oks before");
    assert.ok(client.some((o) => o.outcome === "ok" && o.invokeIndex > windows[1]! && o.completeIndex! < windows[2]!), "oks between");
    if (CHECKERS.some((c) => c.name === "linearizable")) {
      const lin = verdict.checkers.find((c) => c.checker === "linearizable");
      assert.equal(lin?.valid, true, lin?.summary);
    }
  });

  it("Ctrl-C in the middle of a partition stops every member and removes every rule, exit 130", async () => {
    const cli = fileURLToPath(new URL("../../src/bin/hindsight.ts", import.meta.url));
    const output = join(tempDir(), "interrupted.ndjson");
    const child = spawn(process.execPath, ["--import", "tsx", cli, "collect", "etcd", "--time", "20", "--seed", "3", "--first-address", `${BLOCK}.11`, "-o", output], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    const partitioned = new Promise<void>((resolve) =>
      child.stderr.on("data", (d: Buffer) => {
        stderr += d;
        if (stderr.includes("start-partition")) resolve();
      }),
    );
    await partitioned;
    assert.ok(rulesTagged(`hindsight-collect:${child.pid}`).some((r) => r.includes("DROP")), "the partition is in place");
    child.kill("SIGINT");
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 130, stderr);
    assert.deepEqual(membersOn(`${BLOCK}.11`), [], "no member survives");
    assert.deepEqual(rulesTagged(`hindsight-collect:${child.pid}`), [], "no iptables rule survives");
    assert.match(readFileSync(output, "utf8"), /"start-partition"/, "the history up to the interrupt is on disk");
  });

  it("kill -9 of the collector: members die with it; the next run removes the rules and folder it left", async () => {
    const cli = fileURLToPath(new URL("../../src/bin/hindsight.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", cli, "collect", "etcd", "--time", "20", "--seed", "4", "--first-address", `${BLOCK}.21`, "-o", join(tempDir(), "killed.ndjson")], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    await new Promise<void>((resolve) =>
      child.stderr.on("data", (d: Buffer) => {
        stderr += d;
        if (stderr.includes("start-partition")) resolve();
      }),
    );
    const tag = `hindsight-collect:${child.pid}`;
    // The partition is logged before its rules are in place: kill only once they are (a loaded machine may take seconds).
    for (let waited = 0; rulesTagged(tag).length === 0 && waited < 15_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill("SIGKILL");
    await once(child, "exit");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(membersOn(`${BLOCK}.21`), [], "members died with the collector (parent-death signal)");
    assert.ok(rulesTagged(tag).length > 0, "a killed collector cannot remove its rules itself");
    const leftFolder = readdirSync(tmpdir()).find((n) => n.startsWith(`hindsight-etcd-${child.pid}-`));
    assert.ok(leftFolder, "nor its folder");

    const logs: string[] = [];
    await collectEtcd({ ...COLLECT_DEFAULTS, nemesis: "none", timeSeconds: 2, serializableReads: false, seed: 1, output: join(tempDir(), "next.ndjson"), firstAddress: `${BLOCK}.21` }, { log: (line) => logs.push(line) });
    assert.deepEqual(rulesTagged(tag), []);
    assert.ok(!existsSync(join(tmpdir(), leftFolder)));
    assert.ok(logs.some((l) => /^removed \d+ iptables rule\(s\) left by a collector that was killed$/.test(l)), logs.join("\n"));
  });
});
