import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Members } from "../../../src/collect/members.ts";
import { sentinelConfig, serverArgs, SENTINEL_TIMING } from "../../../src/collect/redis/servers.ts";
import { redisFailure } from "../../../src/collect/redis/workloads.ts";

const [primary, replica] = new Members("/x", 2, "127.9.0.1", () => ({ command: "true", args: [] })).members as [Members["members"][0], Members["members"][0]];

describe("redis layout", () => {
  it("binds every server to its member's address; the others start as replicas of n1", () => {
    const args = serverArgs(replica, primary);
    assert.deepEqual(args.slice(0, 2), ["--bind", "127.9.0.2"]);
    assert.deepEqual(args.slice(-3), ["--replicaof", "127.9.0.1", "6379"]);
    assert.ok(!serverArgs(primary, primary).includes("--replicaof"));
    assert.ok(args.includes("--replica-announce-ip"), "the address it is reached at, not the socket's 127.0.0.1");
  });

  it("sentinels bind and announce their own address, watch n1 with the quorum, and notice failure within a second", () => {
    const config = sentinelConfig(replica, primary, 3).split("\n");
    assert.ok(config.includes("bind 127.9.0.2"));
    assert.ok(config.includes("sentinel announce-ip 127.9.0.2"));
    assert.ok(config.includes("sentinel monitor hindsight 127.9.0.1 6379 3"));
    assert.ok(config.includes(`sentinel down-after-milliseconds hindsight ${SENTINEL_TIMING.downAfterMs}`));
  });

  it("a command refused before it ran is fail; a timeout or a lost connection may have run: info", () => {
    assert.equal(redisFailure(1, new Error("READONLY You can't write against a read only replica.")).type, "fail");
    assert.equal(redisFailure(1, new Error("Stream isn't writeable and enableOfflineQueue options is false")).type, "fail");
    assert.deepEqual(redisFailure(1, new Error("Command timed out")), { type: "info", value: 1, error: "Command timed out" });
    assert.equal(redisFailure(1, new Error("Connection is closed.")).type, "info");
  });
});
