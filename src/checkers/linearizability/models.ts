import { UsageError } from "../../history/errors.ts";
import { opName, orList, rejectOp, type LinOp, type Model } from "./model.ts";
import { casRegisterModel } from "./models/cas-register.ts";
import { fifoQueueModel } from "./models/fifo-queue.ts";
import { kvAppendModel } from "./models/kv-append.ts";
import { kvModel } from "./models/kv.ts";
import { multiRegisterModel } from "./models/multi-register.ts";
import { mutexModel } from "./models/mutex.ts";
import { registerModel } from "./models/register.ts";
import { setModel } from "./models/set.ts";

export const MODELS: readonly Model[] = [
  registerModel,
  casRegisterModel,
  mutexModel,
  multiRegisterModel,
  kvModel,
  kvAppendModel,
  setModel,
  fifoQueueModel,
] as Model[];

export function modelNamed(name: string): Model {
  const model = MODELS.find((m) => m.name === name);
  if (!model) throw new UsageError(`unknown model "${name}"; expected auto or one of: ${MODELS.map((m) => m.name).join(", ")}`);
  return model;
}

export interface ModelChoice {
  model: Model;
  /** Why, shown to the user. */
  reason: string;
}

/**
 * --model auto: the model whose vocabulary the ops use and that can read every op; undefined
 * when none fits. Iterated twice, so ops kept as columns can be made one at a time.
 */
export function inferModel(ops: Iterable<LinOp>): ModelChoice | undefined {
  const choice = vocabularyChoice(ops);
  if (!choice) return undefined;
  for (const op of ops) if (op.outcome !== "fail" && rejectOp(choice.model, op) !== undefined) return undefined;
  return choice;
}

/** The model auto would choose from the fs of `ops` and whether every op is keyed, before any op's value is read. */
export function vocabularyChoice(ops: Iterable<LinOp>): ModelChoice | undefined {
  // The fs as written first (a handful, however many ops), then without their colons.
  const written = new Set<string>();
  let keyed = true;
  for (const op of ops) {
    written.add(op.f);
    if (op.key === undefined) keyed = false;
  }
  return modelForVocabulary(new Set([...written].map(opName)), keyed);
}

/**
 * The first model in the table (simplest first) whose ops cover every f present (`fs`, without
 * leading colons), that sees one of the fs it requires, and whose keyed-ness matches the ops'.
 * It may still reject some op's value (`inferModel` checks that).
 */
export function modelForVocabulary(fs: ReadonlySet<string>, keyed: boolean): ModelChoice | undefined {
  if (fs.size === 0) return undefined;
  const model = MODELS.find((m) => (m.keyed ?? false) === keyed && [...fs].every((f) => m.ops.some((spec) => spec.f === f)) && m.requires.some((f) => fs.has(f)));
  if (!model) return undefined;
  const listed = [...fs].sort().join(", ");
  const why = `the simplest model that knows every f${keyed ? " of keyed ops" : ""} (${model.ops.map((spec) => spec.f).join(", ")}) and sees ${orList(model.requires.filter((f) => fs.has(f)), "and")}`;
  return { model, reason: `--model auto chose ${model.name}: ${why} (ops: ${listed})` };
}

/** The model table as --help and docs show it: "register (read, write)". */
export function modelList(): string {
  return MODELS.map((m) => `${m.name} (${m.ops.map((spec) => spec.f).join(", ")}${m.keyed ? "; keyed" : ""})`).join(", ");
}
