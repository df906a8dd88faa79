import type { Budget } from "../checker.ts";
import { DeadlineWatch, remainingMs } from "../deadline.ts";
import { compareKeys, unwrappedValues, type IndependentKey } from "../independent/split.ts";
import { ColumnsBuilder, keepInPlace, opAt, positionOf, selectOps, type OpColumns } from "./columns.ts";
import { isReadOnly, opName, rejectOp, show, type LinOp } from "./model.ts";
import { modelForVocabulary, modelNamed, vocabularyChoice, type ModelChoice } from "./models.ts";
import type { PartOps, PartTask } from "./part.ts";
import { chooseSemantics, type SemanticsChoice } from "./semantics.ts";
import { HELD_AS_OBJECTS_UP_TO, type HeldOps, type LinSource } from "./source.ts";

/** Default ceiling of the memo of visited configurations (and, apart, of model states), per part. */
export const DEFAULT_MEMO_BYTES = 512 * 1024 * 1024;

export interface LinearizabilityPlan {
  choice: ModelChoice;
  semantics: SemanticsChoice;
  /** Set when the history is Jepsen independent keys, checked key by key: why, and how many keys. */
  independent?: { reason: string; keys: number };
  initial: unknown;
  /** The history's client ops, as the verdict names them (only the effective ones when the whole history is one part). */
  client: PlannedClient;
  /** Positions in `client` of the ops that may have taken effect (fails removed unless they observed the state), key by key, each key's in invocation order. */
  effective: Int32Array;
  failed: number;
  /** Failed ops kept because they still observed the state (Porcupine's failed cas). */
  failedKept: number;
  /** Reads whose result is unknown (info), dropped: they constrain nothing. */
  unknownReads: number;
  tasks: PartTask[];
  /** --first-failure: stop at the first part found not linearizable. */
  firstFailure: boolean;
}

export interface LinearizableOptions extends Budget {
  /** Model name, or "auto" (the default). */
  model?: string;
  /** Initial model state (--initial JSON). */
  initial?: unknown;
  /** How nil reads and failed ops are read (knossos, porcupine, strict); absent or "auto", from the format. */
  semantics?: string;
  /** Stop at the first part found not linearizable. */
  firstFailure?: boolean;
  /** Jepsen independent keys: true splits by [key value] tuples, false never does; absent, detected. */
  independent?: boolean;
}

/** One key's ops (or the whole history's): their values unwrapped from the tuples, and where each sits in the client. */
interface KeyOps {
  key: IndependentKey | undefined;
  size: number;
  /** The op at row i. */
  at(i: number): LinOp;
  /** The rows as columns; undefined when the ops are a small held history's objects. */
  columns?: OpColumns;
  /** Row -> position in the client; undefined when the same. */
  positions: Int32Array | undefined;
}

/** The client ops a verdict names, by position: the history's columns, or a small held history's own ops (no columns made for them). */
export type PlannedClient = { columns: OpColumns } | { held: HeldOps };

/** What to check and how: the model, the ops, the independent parts. A string says why nothing can be checked. */
export function planLinearizability(source: LinSource, options: LinearizableOptions): LinearizabilityPlan | string {
  const keys = independentKeys(source, options);
  if (typeof keys === "string") return keys;
  const requested = options.model ?? "auto";
  // A small held history's ops are read as the objects they are: no columns are made for it.
  const objects = keys === undefined ? source.held : undefined;
  const named = requested === "auto" ? undefined : { model: modelNamed(requested), reason: `--model ${requested}` };
  // Auto's choice is confirmed below, as every op is read: an op it cannot interpret means no model fits (as inferModel says).
  const perKey: KeyOps[] = objects
    ? [{ key: undefined, size: objects.ops.length, at: (i) => objects.ops[i]!, positions: undefined }]
    : (keys?.keys ?? [columnsKey(undefined, source.client, everyPosition(source.client.size))]);
  const fsPresent = (): string[] => (objects ? [...new Set(objects.ops.map((op) => op.f))] : fsIn(perKey));
  const noModel = (): string => `--model auto found no model for these ops (f: ${fsPresent().join(", ") || "none"}); name one with --model`;
  const choice = named ?? (objects ? vocabularyChoice(objects.ops) : vocabularyModel(perKey));
  if (!choice) return noModel();
  const semantics = chooseSemantics(options.semantics, source.format);
  const model = choice.model;
  const remaining = remainingMs(options.deadline, options.timeLimitMs);
  const deadline = remaining === undefined ? undefined : Date.now() + remaining;
  // The memo lives outside the JS heap (typed arrays), so a worker's heap ceiling would not stop it: half of --memory-limit goes to it.
  const memoBytes = options.memoryLimitMb === undefined ? DEFAULT_MEMO_BYTES : (options.memoryLimitMb * 1024 * 1024) / 2;
  const clientSize = objects ? objects.ops.length : source.client.size;
  const tasks: PartTask[] = [];
  const effective = new Int32Array(clientSize);
  let effectiveCount = 0;
  let candidates = 0;
  let failedKept = 0;
  let failed = 0;
  let kept: OpColumns | undefined;
  const watch = new DeadlineWatch(options.deadline, "planning the linearizability search", "op");
  for (const { key, size, at, columns, positions } of perKey) {
    // The rows kept, where the part is the key's columns (a partition's parts are made from the ops).
    const useful = !model.partition && columns ? new Int32Array(size) : undefined;
    let usefulCount = 0;
    // What a partition is made from: the ops as read here, made once.
    const usefulOps: LinOp[] = [];
    for (let i = 0; i < size; i++) {
      watch.tick();
      const op = at(i);
      if (op.outcome === "fail") failed++;
      // Fails never took effect; under Porcupine's semantics a failed cas still saw the state.
      if (op.outcome === "fail" && !(semantics.name === "porcupine" && model.failedObserves?.(op) === true)) continue;
      if (op.outcome === "fail") failedKept++;
      const complaint = rejectOp(model, op);
      if (complaint !== undefined) return requested === "auto" && op.outcome !== "fail" ? noModel() : `${model.name} cannot interpret the history: ${complaint}`;
      candidates++;
      // A read whose result is unknown could sit anywhere and change nothing: it only widens the search.
      if (op.outcome === "info" && isReadOnly(model, op)) continue;
      if (useful) useful[usefulCount++] = i;
      effective[effectiveCount++] = positions === undefined ? i : positions[i]!;
      if (model.partition || !columns) usefulOps.push(op);
    }
    const rows = (): Int32Array => (useful === undefined ? new Int32Array(0) : useful.subarray(0, usefulCount));
    const task = (label: string | undefined, part: PartOps): void => {
      tasks.push({ label: key === undefined ? (label ?? "the whole history") : `key ${show(key)}${label === undefined ? "" : `, ${label}`}`, model: model.name, semantics: semantics.name, initial: options.initial, ops: part, deadline, memoBytes });
    };
    if (model.partition) {
      const parts = model.partition(usefulOps);
      const asObjects = clientSize <= HELD_AS_OBJECTS_UP_TO;
      parts.forEach((part, i) => task(parts.length === 1 ? undefined : partName(part[0]!, i), asObjects || !columns ? part : selectOps(columns, part.map((op) => positionOf(columns, op.id)))));
    } else if (!columns) task(undefined, usefulOps);
    // One part of the whole history (a register's): its ops stay where they are, so a history of millions is held once.
    else if (keys === undefined) task(undefined, (kept = keepInPlace(columns, rows())));
    else task(undefined, selectOps(columns, rows()));
  }
  const independent = keys && { reason: keys.reason, keys: keys.keys.length };
  failed -= failedKept;
  const client: PlannedClient = objects ? { held: objects } : { columns: kept ?? source.client };
  return { choice, semantics, independent, initial: options.initial, client, effective: kept ? everyPosition(kept.size) : effective.subarray(0, effectiveCount), failed, failedKept, unknownReads: candidates - effectiveCount, tasks, firstFailure: options.firstFailure === true };
}

/** A key's ops read from columns: `positions`, each row's position in the client columns (undefined: the same). */
function columnsKey(key: IndependentKey | undefined, columns: OpColumns, positions: Int32Array): KeyOps {
  return { key, size: columns.size, at: (i) => opAt(columns, i), columns, positions };
}

function everyPosition(size: number): Int32Array {
  const positions = new Int32Array(size);
  for (let i = 0; i < size; i++) positions[i] = i;
  return positions;
}

/** The model auto would choose from the fs present and whether every op is keyed, read from the columns (no op made). */
function vocabularyModel(perKey: readonly KeyOps[]): ModelChoice | undefined {
  let keyed = true;
  for (const { columns } of perKey) if (columns!.key.includes(-1)) keyed = false;
  return modelForVocabulary(new Set(fsIn(perKey).map(opName)), keyed);
}

/** The fs present in columns, first seen first. */
function fsIn(perKey: readonly KeyOps[]): string[] {
  const fs = new Set<string>();
  for (const { columns } of perKey) for (let i = 0; i < columns!.size; i++) fs.add(columns!.fs[columns!.f[i]!]!);
  return [...fs];
}

/** The history's independent keys when --independent asks or the ops are tuples; a string when --independent cannot be honoured. */
function independentKeys(source: LinSource, options: LinearizableOptions): { reason: string; keys: KeyOps[] } | string | undefined {
  if (options.independent === false) return undefined;
  const detected = source.independent;
  if (options.independent === true && detected === undefined) {
    const odd = source.client.tuple.indexOf(-1);
    return odd !== -1 ? `--independent: ${describeValue(opAt(source.client, odd))} is not a [key value] tuple` : "--independent: no client ops to split by key";
  }
  if (detected === undefined) return undefined;
  return { reason: options.independent === true ? `--independent (${detected})` : detected, keys: splitByTuple(source.client) };
}

/** Each key's ops with their values unwrapped, in key order (split.ts: compareKeys); every op is a tuple. */
function splitByTuple(client: OpColumns): KeyOps[] {
  const byKey = new Map<number, number[]>();
  for (let i = 0; i < client.size; i++) {
    const key = client.tuple[i]!;
    let rows = byKey.get(key);
    if (!rows) byKey.set(key, (rows = []));
    rows.push(i);
  }
  const keyOf = (tuple: number): IndependentKey => client.values[tuple] as IndependentKey;
  return [...byKey]
    .sort(([a], [b]) => compareKeys(keyOf(a), keyOf(b)))
    .map(([tuple, rows]) => {
      const ops = new ColumnsBuilder(rows.length);
      for (const i of rows) {
        const op = opAt(client, i);
        const { input, output } = unwrappedValues(op);
        ops.add({ id: op.id, process: op.process, f: op.f, input, output, outcome: op.outcome, call: op.call }, client.complete[i]!, op.key);
      }
      return columnsKey(keyOf(tuple), ops.finish(), Int32Array.from(rows));
    });
}

function describeValue(o: LinOp): string {
  return `the value ${show(o.outcome === "ok" ? o.output : o.input)} of op ${o.id} (${o.f} by process ${String(o.process)})`;
}

function partName(op: LinOp, i: number): string {
  return op.key !== undefined ? `key ${show(op.key)}` : `part ${i + 1} (ops from ${op.id})`;
}
