/**
 * Every iptables rule a collection adds goes through here and is remembered, so that healing
 * removes exactly the partition rules and teardown removes everything — nothing more, since the
 * machine is shared.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

/** Runs `iptables` with these arguments; rejects when it fails. Injected so tests need no root. */
export type IptablesRunner = (args: readonly string[]) => Promise<void>;

export const runIptables: IptablesRunner = async (args) => {
  await promisify(execFile)("iptables", ["-w", ...args]);
};

/** The rule tag: which collector process added the rule. */
export const TAG_PREFIX = "hindsight-collect:";

export async function iptablesSave(): Promise<string> {
  return (await promisify(execFile)("iptables-save")).stdout;
}

/**
 * The `iptables -D` arguments for rules left by a collector that died without its teardown
 * (kill -9): tagged with a PID that no longer runs. Our rules have no spaces inside values, so
 * splitting iptables-save's lines on spaces is exact for them.
 */
export function staleRules(save: string, isAlive: (pid: number) => boolean): string[][] {
  const deletions: string[][] = [];
  let table = "filter";
  for (const line of save.split("\n")) {
    if (line.startsWith("*")) table = line.slice(1).trim();
    const pid = new RegExp(`--comment "?${TAG_PREFIX}(\\d+)"?`).exec(line)?.[1];
    if (!line.startsWith("-A ") || pid === undefined || isAlive(Number(pid))) continue;
    const [, chain, ...spec] = line.trim().split(" ").map((token) => token.replace(/^"(.*)"$/, "$1"));
    deletions.push(["-t", table, "-D", chain!, ...spec]);
  }
  return deletions;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

export interface Rule {
  table: "filter" | "nat";
  chain: string;
  spec: readonly string[];
  /** Partition rules go when the partition heals; the others stay until teardown. */
  purpose: "partition" | "source-address";
}

export class Firewall {
  private readonly rules: Rule[] = [];

  /** `tag` marks our rules (iptables comment) so a person can see whose they are. */
  constructor(
    private readonly run: IptablesRunner,
    private readonly peerPorts: readonly number[],
    private readonly tag: string,
  ) {}

  /** Rules currently in place, oldest first. */
  get active(): readonly Rule[] {
    return this.rules;
  }

  /**
   * On loopback every connection leaves from 127.0.0.1 whoever opens it, so address rules could
   * not tell members apart. Each member runs as its own uid, and this rewrites its packets'
   * source to the member's own address.
   */
  async sourceAddress(uid: number, address: string): Promise<void> {
    await this.add({ table: "nat", chain: "POSTROUTING", purpose: "source-address", spec: ["-o", "lo", "-m", "owner", "--uid-owner", String(uid), "-j", "SNAT", "--to-source", address] });
  }

  /** Drops peer traffic (either port being a peer port) between a and b, both ways; client traffic is untouched. */
  async cut(a: string, b: string): Promise<void> {
    for (const [from, to] of [[a, b], [b, a]] as const) {
      await this.add({ table: "filter", chain: "INPUT", purpose: "partition", spec: ["-s", from, "-d", to, "-p", "tcp", "-m", "multiport", "--ports", this.peerPorts.join(","), "-j", "DROP"] });
    }
  }

  /**
   * Drops what the server at address:port sends; what clients send still arrives. A request in
   * flight is carried out and its acknowledgement lost, as when a link fails mid-commit.
   */
  async dropReplies(address: string, port: number): Promise<void> {
    await this.add({ table: "filter", chain: "INPUT", purpose: "partition", spec: ["-s", address, "-p", "tcp", "--sport", String(port), "-j", "DROP"] });
  }

  /** Removes the partition rules; the first failure is thrown after trying them all. */
  async heal(): Promise<void> {
    await this.removeWhere((r) => r.purpose === "partition");
  }

  /** Removes every rule we added, newest first, trying all of them even when some fail. */
  async removeAll(): Promise<void> {
    await this.removeWhere(() => true);
  }

  private async add(rule: Rule): Promise<void> {
    await this.run(["-t", rule.table, "-I", rule.chain, ...this.withTag(rule.spec)]);
    this.rules.push(rule);
  }

  private async removeWhere(matches: (rule: Rule) => boolean): Promise<void> {
    const failures: unknown[] = [];
    for (const rule of [...this.rules].reverse()) {
      if (!matches(rule)) continue;
      try {
        await this.run(["-t", rule.table, "-D", rule.chain, ...this.withTag(rule.spec)]);
        this.rules.splice(this.rules.indexOf(rule), 1);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, `could not remove ${failures.length} iptables rule(s); see \`iptables-save | grep ${this.tag}\``);
  }

  private withTag(spec: readonly string[]): string[] {
    return [...spec, "-m", "comment", "--comment", this.tag];
  }
}
