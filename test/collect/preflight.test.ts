import assert from "node:assert/strict";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { missingRequirements, outputProblem } from "../../src/collect/preflight.ts";
import { COLLECTORS } from "../../src/collect/registry.ts";
import { runCli, tempDir } from "../support/helpers.ts";

describe("collector preflight", () => {
  it("checks absolute programs and files where they are, commands on PATH, and always iptables and setpriv", () => {
    const bin = tempDir();
    writeFileSync(join(bin, "server"), "#!/bin/sh\n");
    chmodSync(join(bin, "server"), 0o755);
    writeFileSync(join(bin, "lib.jar"), "");
    const how = "apt-get install -y x";
    assert.deepEqual(missingRequirements([{ command: join(bin, "server"), how }, { command: join(bin, "lib.jar"), how, file: true }], 0, bin), [
      { what: "iptables on PATH", how: "apt-get install -y iptables" },
      { what: "setpriv on PATH", how: "apt-get install -y util-linux" },
    ]);
    assert.deepEqual(missingRequirements([{ command: join(bin, "lib.jar"), how }, { command: "/nonexistent/x.jar", how, file: true }], 1000, "/nonexistent").slice(0, 3), [
      { what: "root (iptables rules and member uids)", how: "run it as root, e.g. with sudo" },
      { what: join(bin, "lib.jar"), how },
      { what: "/nonexistent/x.jar", how },
    ]);
  });

  it("refuses a history file in a folder that does not exist, or under a file", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "plain"), "");
    assert.equal(outputProblem(join(dir, "h.ndjson")), undefined);
    assert.match(outputProblem(join(dir, "missing", "h.ndjson"))!, /the folder .*missing does not exist/);
    assert.match(outputProblem(join(dir, "plain", "h.ndjson"))!, /plain is not a folder/);
  });

  for (const collector of COLLECTORS) {
    it(`collect ${collector.name}: an -o into a missing folder is refused with exit 3 before anything starts`, async () => {
      const r = await runCli(["collect", collector.name, "--time", "1", "-o", "/nonexistent/folder/h.ndjson"]);
      assert.equal(r.code, 3);
      assert.equal(r.stderr, `hindsight collect ${collector.name}: /nonexistent/folder/h.ndjson: the folder /nonexistent/folder does not exist\n`);
      assert.equal(r.stdout, "");
    });
  }

  it("each system offers only its own nemeses and workloads", async () => {
    const pg = await runCli(["collect", "postgres", "--nemesis", "isolate-leader"]);
    assert.equal(pg.code, 3);
    assert.match(pg.stderr, /Allowed choices are none, cut-client/);
    const redis = await runCli(["collect", "redis", "--workload", "list-append"]);
    assert.match(redis.stderr, /Allowed choices are set, register/);
    const zk = await runCli(["collect", "zookeeper", "--isolation", "serializable"]);
    assert.equal(zk.code, 3);
    assert.match(zk.stderr, /unknown option '--isolation'/);
  });

  it("postgres runs one server: --nodes 3 is refused with exit 3", async () => {
    const r = await runCli(["collect", "postgres", "--nodes", "3", "-o", join(tempDir(), "h.ndjson")]);
    assert.equal(r.code, 3);
    assert.equal(r.stderr, "hindsight collect postgres: --nodes 3: postgres runs 1\n");
  });
});
