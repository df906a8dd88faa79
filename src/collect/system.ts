/**
 * What a collector needs to know about a system to run it on this machine under faults: its
 * members, how to start and stop them, who leads, a client per client slot, and its workloads.
 * run.ts does the rest alike for every system (temp folder, firewall, nemesis, history, teardown).
 */
import type { Random } from "../simulate/random.ts";
import type { MemberProcesses } from "./members.ts";
import type { NemesisKind } from "./nemesis.ts";

export interface OpSpec {
  f: string;
  value: unknown;
}

/** How an op ended: the completion's type, its value, and why it did not succeed. */
export interface Completion {
  type: "ok" | "fail" | "info";
  value: unknown;
  error?: string;
}

export interface Workload<Client> {
  /** The next op for a client to invoke. */
  next(random: Random): OpSpec;
  perform(client: Client, op: OpSpec): Promise<Completion>;
  /** An op every client performs once after all have stopped and the cluster has healed (final reads). */
  final?: OpSpec;
}

export interface System<Client> extends MemberProcesses {
  /** Ports that partitions cut between members (either side's port). */
  readonly peerPorts: readonly number[];
  /** Where clients connect, for cut-client: the server's address and port. */
  readonly serverEndpoint?: { address: string; port: number };
  /** Spawns the members and resolves once they serve clients; throws with their log tails otherwise. */
  start(): Promise<void>;
  /** Closes the clients and stops every member; resolves once each has exited. */
  stop(): Promise<void>;
  /** The member the system reports as leader/primary now, if any. */
  leader(): Promise<number | undefined>;
  /** Waits, once the network has healed and before the final reads, until the system has recovered (e.g. replicas resynced). */
  settle?(): Promise<void>;
  /** The client of slot `slot`, and the member name recorded as its `node` (if it is pinned to one). */
  client(slot: number): { client: Client; node?: string };
  runningPids(): number[];
}

/** A system as the collector sees it before starting: its name, faults and how to build it. */
export interface SystemSpec<Client> {
  /** Names the temp folder (hindsight-NAME-PID-…) and the log lines. */
  name: string;
  nemeses: readonly NemesisKind[];
  /** Members run as their own uids with their packets' source rewritten to their address (see Firewall.sourceAddress). */
  sourceAddresses: boolean;
  build(dir: string): { system: System<Client>; workload: Workload<Client> };
}
