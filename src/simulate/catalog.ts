/** Every behaviour, workload and nemesis the simulator knows, by name (what --help lists). */
import { UsageError } from "../history/errors.ts";
import type { Behaviour } from "./behaviour.ts";
import { asyncFailover } from "./behaviours/async-failover.ts";
import { isr } from "./behaviours/isr.ts";
import { lww } from "./behaviours/lww.ts";
import { majority } from "./behaviours/majority.ts";
import { readCommittedTxn } from "./behaviours/read-committed-txn.ts";
import { serializableTxn } from "./behaviours/serializable-txn.ts";
import { snapshotTxn } from "./behaviours/snapshot-txn.ts";
import { NEMESES } from "./nemesis.ts";
import type { WorkloadDefinition } from "./workload.ts";
import { counter } from "./workloads/counter.ts";
import { lwwRows } from "./workloads/lww-rows.ts";
import { casRegister, register } from "./workloads/register.ts";
import { set, setReads } from "./workloads/set.ts";
import { listAppend, rwRegister } from "./workloads/txn.ts";
import { bank } from "./workloads/bank.ts";
import { queue } from "./workloads/queue.ts";
import { uniqueIds } from "./workloads/unique-ids.ts";

export const BEHAVIOURS: readonly Behaviour[] = [majority, asyncFailover, isr, lww, serializableTxn, snapshotTxn, readCommittedTxn];
export const WORKLOADS: readonly WorkloadDefinition[] = [register, casRegister, set, setReads, counter, lwwRows, listAppend, rwRegister, bank, queue, uniqueIds];
export { NEMESES };

function named<T extends { name: string }>(kind: string, items: readonly T[], name: string): T {
  const found = items.find((item) => item.name === name);
  if (found === undefined) throw new UsageError(`unknown ${kind} "${name}"; expected one of: ${items.map((i) => i.name).join(", ")}`);
  return found;
}

export const behaviourNamed = (name: string): Behaviour => named("behaviour", BEHAVIOURS, name);
export const workloadNamed = (name: string): WorkloadDefinition => named("workload", WORKLOADS, name);
export const nemesisNamed = (name: string): string => named("nemesis", NEMESES, name).name;

/** The --help text listing them all. */
export function catalogHelp(): string {
  const list = (title: string, items: readonly { name: string; description: string; like?: string }[]): string =>
    `${title}:\n${items.map((i) => `  ${i.name.padEnd(20)}${i.description}${i.like ? ` (like ${i.like})` : ""}`).join("\n")}`;
  return ["", list("Behaviours", BEHAVIOURS), list("Workloads", WORKLOADS), list("Nemeses", NEMESES)].join("\n\n");
}
