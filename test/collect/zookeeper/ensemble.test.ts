import assert from "node:assert/strict";
import { describe, it } from "node:test";
import zookeeper from "node-zookeeper-client";
import { Members } from "../../../src/collect/members.ts";
import { srvrMode, zooConfig } from "../../../src/collect/zookeeper/ensemble.ts";
import { zkFailure } from "../../../src/collect/zookeeper/workloads.ts";

describe("zookeeper layout", () => {
  it("each member serves clients on its own address only, with the admin server off and every peer listed", () => {
    const members = new Members("/x", 3, "127.9.0.1", () => ({ command: "true", args: [] })).members;
    const config = zooConfig(members[1]!, members).split("\n");
    assert.ok(config.includes("clientPortAddress=127.9.0.2"));
    assert.ok(config.includes("admin.enableServer=false"));
    assert.ok(config.includes("dataDir=/x/n2/data"));
    assert.deepEqual(config.filter((l) => l.startsWith("server.")), ["server.1=127.9.0.1:2888:3888", "server.2=127.9.0.2:2888:3888", "server.3=127.9.0.3:2888:3888"]);
  });

  it("reads a member's mode from its srvr answer; a member that does not serve has none", () => {
    assert.equal(srvrMode("Zookeeper version: 3.8.0\nLatency min/avg/max: 0/0.0/0\nMode: follower\nNode count: 5\n"), "follower");
    assert.equal(srvrMode("Mode: leader\n"), "leader");
    assert.equal(srvrMode("This ZooKeeper instance is not currently serving requests\n"), undefined);
  });

  it("NODE_EXISTS, BAD_VERSION and a request never sent are fail; connection loss and timeouts are info; reads always fail", () => {
    const exception = (code: number, name: string): zookeeper.Exception => new zookeeper.Exception(code, name, Error);
    assert.equal(zkFailure(1, exception(zookeeper.Exception.BAD_VERSION, "BAD_VERSION"), false).type, "fail");
    assert.equal(zkFailure(1, exception(zookeeper.Exception.NODE_EXISTS, "NODE_EXISTS"), false).type, "fail");
    assert.equal(zkFailure(1, exception(zookeeper.Exception.CONNECTION_LOSS, "CONNECTION_LOSS"), false).type, "info");
    assert.equal(zkFailure(1, new Error("timeout"), false).type, "info");
    assert.deepEqual(zkFailure(1, new Error("timeout"), true), { type: "fail", value: null, error: "Error: timeout" });
  });
});
