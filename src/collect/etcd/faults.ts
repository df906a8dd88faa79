/** Turns the nemesis's plan into actions on the cluster and the firewall, and says what was done. */
import type { Firewall } from "../firewall.ts";
import { faultTarget, memberName, partitionPlan, PARTITIONS, type NemesisKind } from "../nemesis.ts";
import type { Random } from "../../simulate/random.ts";
import type { EtcdCluster } from "./cluster.ts";

export interface ActiveFault {
  /** What was done, for the history: e.g. "isolate n3 (leader) from n1 n2 n4 n5". */
  description: string;
  /** Undoes it and says what was done. */
  stop(): Promise<string>;
}

export async function startFault(kind: Exclude<NemesisKind, "none">, cluster: EtcdCluster, firewall: Firewall, random: Random): Promise<ActiveFault> {
  const leader = await cluster.leader();
  if (PARTITIONS.includes(kind)) {
    const plan = partitionPlan(kind, cluster.members.length, random, leader);
    for (const [a, b] of plan.cut) await firewall.cut(cluster.members[a]!.address, cluster.members[b]!.address);
    return {
      description: plan.description,
      stop: async () => {
        await firewall.heal();
        return "network healed";
      },
    };
  }
  const target = faultTarget(cluster.members.length, random, leader);
  const who = `${memberName(target)}${target === leader ? " (leader)" : ""}`;
  if (kind === "pause") {
    cluster.pause(target);
    return {
      description: `SIGSTOP ${who}`,
      stop: async () => {
        cluster.resume(target);
        return `SIGCONT ${memberName(target)}`;
      },
    };
  }
  await cluster.kill(target);
  return {
    description: `kill -9 ${who}`,
    stop: async () => {
      cluster.restart(target);
      return `restarted ${memberName(target)}`;
    },
  };
}
