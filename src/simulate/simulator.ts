/**
 * The discrete-event loop: clients pinned to nodes (client c to node c mod nodes, as in the 2013
 * tests) invoke, their requests reach the node one network hop later and the store acts, the
 * reply comes back; the nemesis opens and closes fault windows on a schedule; the recorder writes
 * the history as it happens. Everything random comes from one seeded stream, and events at equal
 * times run in a fixed order, so the same options give the same bytes.
 */
import { UsageError } from "../history/errors.ts";
import { Recorder, type Completion, type ExtraFields } from "../recorder/recorder.ts";
import type { ChunkSink } from "../recorder/sink.ts";
import { TIMING, type Reply, type Request, type StoreContext } from "./behaviour.ts";
import { behaviourNamed, nemesisNamed, workloadNamed } from "./catalog.ts";
import { Cluster } from "./cluster.ts";
import { faultsNamed, faultWindows, type Fault } from "./nemesis.ts";
import { Random } from "./random.ts";
import type { Truth } from "./truth.ts";
import type { Invocation } from "./workload.ts";

export interface SimulationOptions {
  behaviour: string;
  workload: string;
  nemesis: string;
  nodes: number;
  clients: number;
  seed: number;
  /** History records to write (invocations + completions, nemesis ops included); the run stops just short of it. */
  ops: number;
  /** Fault windows over the run. */
  faults: number;
  /** LWW timestamp resolution in µs; a resolution longer than the run gives every write the same timestamp. */
  tsResolution: number;
}

/** The README's example: a five-node majority cluster, a register, one partition in the middle. */
export const DEFAULT_OPTIONS: SimulationOptions = { behaviour: "majority", workload: "register", nemesis: "partition", nodes: 5, clients: 5, seed: 17, ops: 3000, faults: 1, tsResolution: 1 };

const enum Phase {
  Idle,
  Effect,
  Complete,
  Done,
}

/** A client and its one operation in flight; it is the store's Request too (no allocation per op). */
interface Client extends Request {
  slot: number;
  phase: Phase;
  at: number;
  invokeIndex: number;
  reply: Reply;
}

const REFUSED: Reply = { outcome: "fail", value: null, latency: 0, error: "connection-refused" };
const HUNG: Reply = { outcome: "info", error: "timeout" };

/** Throws a UsageError for names that do not exist and behaviours that cannot run the workload. */
export function validateOptions(options: SimulationOptions): void {
  const behaviour = behaviourNamed(options.behaviour);
  const workload = workloadNamed(options.workload).create();
  const rejection = behaviour.rejects(workload);
  if (rejection !== undefined) throw new UsageError(`behaviour ${behaviour.name} cannot run workload ${workload.name}: ${rejection}`);
  nemesisNamed(options.nemesis);
  if (options.nodes > 31) throw new UsageError("--nodes: at most 31");
}

/** Runs one simulation into `sink` and returns its truth (without the history/command names, which the caller knows). */
export async function simulate(options: SimulationOptions, sink: ChunkSink): Promise<Omit<Truth, "history" | "command">> {
  validateOptions(options);
  const behaviour = behaviourNamed(options.behaviour);
  const workload = workloadNamed(options.workload).create();

  const rng = new Random(options.seed);
  const cluster = new Cluster(options.nodes);
  const context: StoreContext = { cluster, rng, hop: () => rng.between(TIMING.minHop, TIMING.maxHop) };
  const store = behaviour.create(context, workload);
  const recorder = new Recorder(sink, options.clients);
  const observer = workload.observer();
  const faults = faultsNamed(options.nemesis);
  const windows = faults.length > 0 ? faultWindows(options.ops, options.faults) : [];
  const finals = workload.finalReads();
  const budget = options.ops - 2 * finals.length;
  const nodeField: ExtraFields[] = cluster.names.map((node) => ({ node }));
  const errorField = new Map<string, ExtraFields>();
  const actions: Truth["nemesis"]["actions"] = [];

  const clients: Client[] = Array.from({ length: options.clients }, (_, slot) => ({
    slot,
    node: slot % options.nodes,
    phase: Phase.Idle,
    at: rng.between(0, TIMING.maxHop),
    op: { f: "", value: null },
    invokedAt: 0,
    invokeIndex: 0,
    ts: 0,
    reply: HUNG,
  }));

  let now = 0;
  let open = 0;
  let window = 0;
  let fault: Fault | undefined;

  const nemesis = (f: string, value: unknown, done: string): void => {
    actions.push({ index: recorder.invoke("nemesis", f, value, now), f, value: done });
    recorder.complete("nemesis", "info", done, now);
    store.clusterChanged(now);
  };
  const startFault = (): void => {
    fault = faults[window % faults.length]!;
    const { value, done } = fault.start(cluster, rng, store.leader());
    nemesis(fault.startF, value, done);
  };
  const stopFault = (): void => {
    const stopped = fault!;
    fault = undefined;
    window++;
    nemesis(stopped.stopF, null, stopped.stop(cluster));
  };
  const nemesisRecordsLeft = (): number => 4 * (windows.length - window) - (fault ? 2 : 0);

  const invoke = (c: Client, op: Invocation): void => {
    c.op = op;
    c.invokedAt = now;
    c.invokeIndex = recorder.invoke(c.slot, op.f, op.value, now, nodeField[c.node]);
    observer.invoked(c.slot, op, c.invokeIndex, now);
    open++;
  };
  /** The request reaches the node: the store acts, or the node is down. */
  const effect = (c: Client): void => {
    c.reply = cluster.crashed[c.node] ? REFUSED : cluster.paused[c.node] ? HUNG : store.execute(c, now);
    c.at = c.reply.outcome === "info" ? c.invokedAt + TIMING.clientTimeout : now + c.reply.latency + context.hop();
  };
  const complete = (c: Client): void => {
    const reply = c.reply;
    const outcome: Completion = reply.outcome;
    const output = reply.outcome === "ok" ? reply.value : c.op.value;
    const error = reply.outcome === "ok" ? undefined : reply.error;
    let extra: ExtraFields | undefined;
    if (error !== undefined) {
      extra = errorField.get(error);
      if (extra === undefined) errorField.set(error, (extra = { error }));
    }
    const completeIndex = recorder.complete(c.slot, outcome, output, now, extra);
    observer.completed(c.slot, { f: c.op.f, input: c.op.value, outcome, output, invokeIndex: c.invokeIndex, completeIndex, callTime: c.invokedAt, retTime: now });
    open--;
  };

  for (;;) {
    if (recorder.full) await recorder.flush();
    let next = store.nextTimer();
    let chosen: Client | undefined;
    for (const c of clients) {
      if (c.phase !== Phase.Done && c.at < next) {
        next = c.at;
        chosen = c;
      }
    }
    if (next === Infinity) break;
    now = next;
    if (window < windows.length) {
      if (fault === undefined && recorder.records >= windows[window]!.start) startFault();
      else if (fault !== undefined && recorder.records >= windows[window]!.stop) stopFault();
    }
    if (chosen === undefined) {
      store.onTimer(now);
      continue;
    }
    const c = chosen;
    switch (c.phase) {
      case Phase.Idle:
        if (recorder.records + open + 2 + nemesisRecordsLeft() > budget) {
          c.phase = Phase.Done;
          break;
        }
        // the client's clock stamps the op (LWW timestamps), skew and all
        c.ts = Math.floor(cluster.clock(c.node, now) / 1000 / options.tsResolution) * options.tsResolution;
        invoke(c, workload.next({ rng, slot: c.slot, clockMicros: c.ts }));
        c.phase = Phase.Effect;
        c.at = now + context.hop();
        break;
      case Phase.Effect:
        effect(c);
        c.phase = Phase.Complete;
        break;
      case Phase.Complete:
        complete(c);
        c.phase = Phase.Idle;
        c.at = now + rng.between(0, TIMING.maxHop);
        break;
    }
  }

  if (fault !== undefined) stopFault();
  store.settle(now);
  // the set app's final read: after healing, one client reads from its node, one op at a time
  const reader = clients[0]!;
  for (const op of finals) {
    now += TIMING.maxHop;
    invoke(reader, op);
    now += context.hop();
    effect(reader);
    now = reader.at;
    complete(reader);
  }
  await recorder.end();

  const report = store.report();
  const findings = observer.findings(behaviour.guarantee);
  return {
    seed: options.seed,
    records: recorder.records,
    behaviour: { name: behaviour.name, like: behaviour.like, guarantees: behaviour.description },
    workload: workload.name,
    nemesis: { name: options.nemesis, actions },
    violations: report.violations,
    facts: { ...report.facts, ...findings.facts },
    expect: findings.expect,
  };
}
