/**
 * A collection, alike for every system: a real system on this machine, clients, a nemesis on a
 * schedule, and a history written as it happens. Everything started or changed is undone by the
 * Teardown, on success, on error and on a signal.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Firewall, iptablesSave, processAlive, runIptables, staleRules, TAG_PREFIX } from "./firewall.ts";
import { startFault, type ActiveFault } from "./faults.ts";
import { faultOpNames, nemesisSchedule, type NemesisKind } from "./nemesis.ts";
import type { OpSpec, System, SystemSpec, Workload } from "./system.ts";
import { Random } from "../simulate/random.ts";
import { Recorder, type Completion } from "../recorder/recorder.ts";
import { syncFileSink } from "../recorder/sink.ts";
import { Teardown, teardownOnSignals, type SignalTarget } from "./teardown.ts";

export interface RunOptions {
  clients: number;
  nemesis: NemesisKind;
  timeSeconds: number;
  /** Operations per second, all clients together. */
  rate: number;
  seed: number;
  output: string;
  /** For the log line: what the clients do. */
  workload: string;
}

export interface CollectSummary {
  file: string;
  completions: Record<Completion, number>;
  /** Each fault as the history records it. */
  faults: string[];
}

export interface CollectIo {
  log(line: string): void;
  /** Where SIGINT/SIGTERM/SIGHUP come from; the process by default. */
  signals?: SignalTarget;
}

/** Temporary folders are named hindsight-SYSTEM-PID-…, so leftovers of a killed collector can be recognised. */
const LEFTOVER_FOLDER = /^hindsight-[a-z]+-(\d+)-/;

/** Rules and data folders of collectors killed before their teardown (kill -9): tagged with a PID that no longer runs. */
async function removeLeftovers(io: CollectIo): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    const pid = LEFTOVER_FOLDER.exec(name)?.[1];
    if (pid === undefined || processAlive(Number(pid))) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
    io.log(`removed ${join(tmpdir(), name)}, left by a collector that was killed`);
  }
  const rules = staleRules(await iptablesSave(), processAlive);
  // A rule may be gone by the time it is deleted (another collector's clean-up took it first): only one still there is a failure.
  for (const args of rules) await runIptables(args).catch(async (error: unknown) => {
    if (staleRules(await iptablesSave(), processAlive).some((left) => left.join(" ") === args.join(" "))) throw error;
  });
  if (rules.length > 0) io.log(`removed ${rules.length} iptables rule(s) left by a collector that was killed`);
}

export async function collect<Client>(spec: SystemSpec<Client>, options: RunOptions, io: CollectIo): Promise<CollectSummary> {
  const teardown = new Teardown();
  const release = teardownOnSignals(teardown, (signal, failures) => io.log(`${signal}: stopped the members and removed the iptables rules${failures.length ? `, except:\n${failures.join("\n")}` : ""}; the history so far is in ${options.output}`), io.signals);
  let failure: unknown;
  try {
    await removeLeftovers(io);
    const dir = mkdtempSync(join(tmpdir(), `hindsight-${spec.name}-${process.pid}-`));
    teardown.add(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
    chmodSync(dir, 0o711);
    const { system, workload } = spec.build(dir);
    const firewall = new Firewall(runIptables, system.peerPorts, `${TAG_PREFIX}${process.pid}`);
    teardown.add("remove iptables rules", () => firewall.removeAll());
    teardown.add(`stop ${spec.name}`, () => system.stop());
    if (spec.sourceAddresses) for (const m of system.members) await firewall.sourceAddress(m.uid, m.address);
    io.log(`starting ${system.members.length} ${spec.name} member(s) on ${system.members[0]!.address} … ${system.members.at(-1)!.address} in ${dir}`);
    await system.start();
    const history = new Recorder(syncFileSink(options.output), options.clients);
    teardown.add("close the history", () => history.end());
    return await runTest(spec.name, options, system, workload, firewall, history, io);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    const failures = await teardown.run();
    release();
    if (failures.length > 0) {
      // A failed teardown matters more than the error that led to it: rules may be left behind.
      throw new AggregateError(failure === undefined ? failures : [failure, ...failures], `teardown failed:\n${failures.join("\n")}`);
    }
  }
}

async function runTest<Client>(name: string, options: RunOptions, system: System<Client>, workload: Workload<Client>, firewall: Firewall, history: Recorder, io: CollectIo): Promise<CollectSummary> {
  const completions: Record<Completion, number> = { ok: 0, fail: 0, info: 0 };
  const faults: string[] = [];
  const workloadRandom = new Random(options.seed);
  const nemesisRandom = new Random(options.seed ^ 0x9e3779b9);
  const durationMs = options.timeSeconds * 1000;
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;

  const nodeFields = new Map<string, { node: string }>();
  const fieldsFor = (node: string | undefined): { node: string } | undefined => {
    if (node === undefined) return undefined;
    if (!nodeFields.has(node)) nodeFields.set(node, { node });
    return nodeFields.get(node);
  };
  /** Client slot `slot` performs `op`, recording the invocation before and the completion after. */
  const perform = async (slot: number, op: OpSpec): Promise<void> => {
    const { client, node } = system.client(slot);
    const fields = fieldsFor(node);
    history.invoke(slot, op.f, op.value, undefined, fields);
    await history.flush();
    const done = await workload.perform(client, op);
    history.complete(slot, done.type, done.value, undefined, done.error === undefined ? fields : { ...fields, error: done.error });
    await history.flush();
    completions[done.type]++;
  };

  const clientLoop = async (slot: number): Promise<void> => {
    const meanGapMs = (options.clients / options.rate) * 1000;
    while (true) {
      await sleep(workloadRandom.float() * 2 * meanGapMs);
      if (elapsed() >= durationMs) return;
      await perform(slot, workload.next(workloadRandom));
    }
  };

  const nemesisLoop = async (): Promise<void> => {
    if (options.nemesis === "none") return;
    const kind = options.nemesis;
    const names = faultOpNames(kind);
    let active: ActiveFault | undefined;
    const step = async (f: string, act: () => Promise<string>): Promise<void> => {
      history.invoke("nemesis", f, null);
      const description = await act();
      history.complete("nemesis", "info", description);
      await history.flush();
      io.log(`${(elapsed() / 1000).toFixed(1)} s  ${f}: ${description}`);
    };
    try {
      for (const event of nemesisSchedule(kind, durationMs)) {
        await sleep(Math.max(0, event.atMs - elapsed()));
        if (event.phase === "start") {
          await step(names.start, async () => {
            active = await startFault(kind, system, firewall, nemesisRandom);
            faults.push(active.description);
            return active.description;
          });
        } else if (active) {
          const fault = active;
          active = undefined;
          await step(names.stop, () => fault.stop());
        }
      }
    } finally {
      // Heal before the final reads even when a step failed; teardown removes whatever is left.
      if (active) await active.stop();
    }
  };

  const leader = await system.leader();
  io.log(`${name} up (leader ${leader === undefined ? "unknown" : system.members[leader]!.name}); ${options.clients} clients, ${options.workload}, nemesis ${options.nemesis}, ${options.timeSeconds} s, seed ${options.seed}`);
  const slots = Array.from({ length: options.clients }, (_, slot) => slot);
  await Promise.all([nemesisLoop(), ...slots.map(clientLoop)]);
  // Final ops (the set's last read) once every client has stopped and the network has healed.
  const final = workload.final;
  if (final) {
    await system.settle?.();
    await Promise.all(slots.map((slot) => perform(slot, final)));
  }
  return { file: options.output, completions, faults };
}
