import assert from "node:assert/strict";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { missingEtcdRequirements as missingRequirements } from "../../../src/collect/etcd/preflight.ts";
import { runCli, tempDir } from "../../support/helpers.ts";

describe("collect etcd preflight", () => {
  it("names root and each missing command with how to install it", () => {
    assert.deepEqual(missingRequirements(1000, "/nonexistent"), [
      { what: "root (iptables rules and member uids)", how: "run it as root, e.g. with sudo" },
      { what: "etcd on PATH", how: "apt-get install -y etcd-server" },
      { what: "iptables on PATH", how: "apt-get install -y iptables" },
      { what: "setpriv on PATH", how: "apt-get install -y util-linux" },
    ]);
  });

  it("finds nothing missing for root with the three commands executable on PATH", () => {
    const bin = tempDir();
    for (const command of ["etcd", "iptables", "setpriv"]) {
      writeFileSync(join(bin, command), "#!/bin/sh\n");
      chmodSync(join(bin, command), 0o755);
    }
    assert.deepEqual(missingRequirements(0, `/nonexistent:${bin}`), []);
  });

  it("the command exits 3 and says what is missing, before touching anything", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const r = await runCli(["collect", "etcd", "--time", "1"]);
      assert.equal(r.code, 3);
      assert.match(r.stderr, /^hindsight collect etcd needs:\n/);
      assert.match(r.stderr, /etcd on PATH: apt-get install -y etcd-server/);
      assert.equal(r.stdout, "");
    } finally {
      process.env.PATH = path;
    }
  });

  it("rejects an unknown workload or nemesis with the choices, exit 3", async () => {
    const r = await runCli(["collect", "etcd", "--nemesis", "flood"]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /Allowed choices are none, isolate-leader, majority-minority, bridge, pause, kill/);
  });
});
