/** Turns the nemesis's plan into actions on a system and the firewall, and says what was done. */
import type { Firewall } from "./firewall.ts";
import { faultTarget, memberName, partitionPlan, PARTITIONS, type NemesisKind } from "./nemesis.ts";
import type { Random } from "../simulate/random.ts";
import type { System } from "./system.ts";

export interface ActiveFault {
  /** What was done, for the history: e.g. "isolate n3 (leader) from n1 n2 n4 n5". */
  description: string;
  /** Undoes it and says what was done. */
  stop(): Promise<string>;
}

const healed = async (firewall: Firewall): Promise<string> => {
  await firewall.heal();
  return "network healed";
};

export async function startFault(kind: Exclude<NemesisKind, "none">, system: System<unknown>, firewall: Firewall, random: Random): Promise<ActiveFault> {
  if (kind === "cut-client") {
    const server = system.serverEndpoint;
    if (server === undefined) throw new RangeError("cut-client needs a system with one server endpoint");
    await firewall.dropReplies(server.address, server.port);
    return { description: `drop every reply from ${server.address}:${server.port} to its clients (requests still arrive)`, stop: () => healed(firewall) };
  }
  const leader = await system.leader();
  if (PARTITIONS.includes(kind)) {
    const plan = partitionPlan(kind, system.members.length, random, leader);
    for (const [a, b] of plan.cut) await firewall.cut(system.members[a]!.address, system.members[b]!.address);
    return { description: plan.description, stop: () => healed(firewall) };
  }
  const target = faultTarget(system.members.length, random, leader);
  const who = `${memberName(target)}${target === leader ? " (leader)" : ""}`;
  if (kind === "pause") {
    system.pause(target);
    return {
      description: `SIGSTOP ${who}`,
      stop: async () => {
        system.resume(target);
        return `SIGCONT ${memberName(target)}`;
      },
    };
  }
  await system.kill(target);
  return {
    description: `kill -9 ${who}`,
    stop: async () => {
      system.restart(target);
      return `restarted ${memberName(target)}`;
    },
  };
}
