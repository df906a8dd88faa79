/**
 * What a collection may leave behind, looked up on the machine itself: processes whose working
 * folder is in the collection's temp folder, iptables rules with the collector's tag, the temp
 * folder, and listening sockets of those processes (all must be on 127.0.0.0/8).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COLLECTORS } from "../../src/collect/registry.ts";

/** A block of loopback addresses of this process's own, so parallel runs of the suite (several checkouts) never collide. */
export function addressBlock(system: number): string {
  return `127.${20 + (process.pid % 200)}.${system}`;
}

/** Why the real-system tests of `name` cannot run here, or undefined when they can. */
export function skipReason(name: string): string | undefined {
  const collector = COLLECTORS.find((c) => c.name === name)!;
  const missing = collector.missing();
  return missing.length > 0 ? `collect ${name} needs ${missing.map((m) => `${m.what} (${m.how})`).join(", ")}: skipped` : undefined;
}

/** The temp folder prefix of `system` collections run by process `pid`. */
export function folderPrefix(system: string, pid: number): string {
  return join(tmpdir(), `hindsight-${system}-${pid}-`);
}

const pids = (): number[] => readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);

/** Processes working inside a folder that starts with `prefix` (members chdir into theirs). */
export function processesIn(prefix: string): number[] {
  return pids().filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`).startsWith(prefix);
    } catch {
      return false;
    }
  });
}

export function rulesTagged(pid: number): string[] {
  return execFileSync("iptables-save", { encoding: "utf8" }).split("\n").filter((line) => line.includes(`hindsight-collect:${pid}`));
}

export function foldersLeft(system: string, pid: number): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith(`hindsight-${system}-${pid}-`));
}

/** Everything still there after a collection by `pid` ended: empty when it cleaned up. */
export function leftovers(system: string, pid: number): string[] {
  const prefix = folderPrefix(system, pid);
  return [...processesIn(prefix).map((p) => `process ${p}`), ...rulesTagged(pid).map((r) => `rule ${r}`), ...foldersLeft(system, pid).map((f) => `folder ${f}`)];
}

/** Local addresses ("a.b.c.d:port", or "[v6]:port") that the processes working in `prefix` listen on. */
export function listeningAddresses(prefix: string): string[] {
  const inodes = new Set<string>();
  for (const pid of processesIn(prefix)) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: "utf8" });
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode) inodes.add(inode);
      }
    } catch {
      // the process ended meanwhile
    }
  }
  const found: string[] = [];
  for (const [file, v6] of [["/proc/net/tcp", false], ["/proc/net/tcp6", true]] as const) {
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== "0A" || !inodes.has(fields[9] ?? "")) continue; // 0A = LISTEN
      const [hex, port] = fields[1]!.split(":") as [string, string];
      // IPv4 as one little-endian word; Java binds IPv4 as v4-mapped IPv6 (::ffff:a.b.c.d), shown the same way
      const v4 = !v6 ? hex : hex.startsWith("0000000000000000FFFF0000") ? hex.slice(24) : undefined;
      const address = v4 === undefined ? `[${hex}]` : [6, 4, 2, 0].map((i) => parseInt(v4.slice(i, i + 2), 16)).join(".");
      found.push(`${address}:${parseInt(port, 16)}`);
    }
  }
  return found.sort();
}
