import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { EventEmitter, once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Teardown, teardownOnSignals } from "../../src/collect/teardown.ts";
import { tempDir, writeTemp } from "../support/helpers.ts";

describe("teardown", () => {
  it("runs undos newest first, past failures, exactly once", async () => {
    const teardown = new Teardown();
    const ran: string[] = [];
    teardown.add("remove folder", () => void ran.push("folder"));
    teardown.add("remove rules", () => {
      ran.push("rules");
      throw new Error("iptables busy");
    });
    teardown.add("stop members", async () => void ran.push("members"));
    const failures = await teardown.run();
    assert.deepEqual(ran, ["members", "rules", "folder"]);
    assert.equal(failures.length, 1);
    assert.match(String(failures[0]), /teardown: remove rules: iptables busy/);
    assert.equal(await teardown.run(), failures);
    assert.deepEqual(ran, ["members", "rules", "folder"], "a second run does nothing");
    assert.throws(() => teardown.add("late", () => undefined), /teardown already started/);
  });

  it("on a signal runs the teardown, then exits 128 + signal; a failed teardown exits 3; release removes the handlers", async () => {
    const target = Object.assign(new EventEmitter(), { codes: [] as number[], exit(code: number) { this.codes.push(code); } });
    const teardown = new Teardown();
    let undone = 0;
    teardown.add("undo", () => void undone++);
    const heard: string[] = [];
    const release = teardownOnSignals(teardown, (signal) => heard.push(signal), target);
    target.emit("SIGTERM");
    await teardown.run();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(target.codes, [143]);
    assert.deepEqual(heard, ["SIGTERM"]);
    assert.equal(undone, 1);
    release();
    assert.equal(target.listenerCount("SIGINT") + target.listenerCount("SIGTERM") + target.listenerCount("SIGHUP"), 0);

    const failing = new Teardown();
    failing.add("rules", () => {
      throw new Error("no");
    });
    teardownOnSignals(failing, () => undefined, target);
    target.emit("SIGINT");
    await failing.run();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(target.codes, [143, 3]);
  });

  it("a real process interrupted with SIGINT undoes everything and exits 130", async () => {
    const marker = join(tempDir(), "undone");
    const teardownModule = fileURLToPath(new URL("../../src/collect/teardown.ts", import.meta.url));
    const script = writeTemp(
      "interrupted.ts",
      `import { writeFileSync } from "node:fs";
import { Teardown, teardownOnSignals } from ${JSON.stringify(teardownModule)};
const teardown = new Teardown();
teardown.add("first", () => writeFileSync(${JSON.stringify(marker)}, "first;", { flag: "a" }));
teardown.add("second", async () => { await new Promise((r) => setTimeout(r, 50)); writeFileSync(${JSON.stringify(marker)}, "second;", { flag: "a" }); });
teardownOnSignals(teardown, (signal) => console.error("caught " + signal));
setInterval(() => undefined, 1000);
console.log("ready");
`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    await once(child.stdout, "data");
    child.kill("SIGINT");
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 130, stderr);
    assert.ok(existsSync(marker));
    assert.equal(readFileSync(marker, "utf8"), "second;first;");
    assert.match(stderr, /caught SIGINT/);
  });
});
