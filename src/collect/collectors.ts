/**
 * The `hindsight collect SYSTEM` subcommands, one entry per system: what it needs, what it can
 * do, its defaults. The CLI builds a command from each entry; run.ts does the collecting.
 */
import type { NemesisKind } from "./nemesis.ts";
import type { Missing } from "./preflight.ts";
import type { CollectIo, CollectSummary } from "./run.ts";

/** Flags every collector takes. */
export interface CommonFlags {
  nodes: number;
  clients: number;
  workload: string;
  nemesis: NemesisKind;
  time: number;
  rate: number;
  seed: number;
  firstAddress: string;
  output: string;
}

/** A flag of one system only, e.g. postgres's --isolation. */
export interface ExtraFlag {
  /** Commander syntax, e.g. "--isolation <level>" or "--serializable-reads". */
  flags: string;
  description: string;
  choices?: readonly string[];
  default?: string;
}

export interface Collector {
  name: string;
  description: string;
  workloads: readonly string[];
  nemeses: readonly NemesisKind[];
  defaults: { nodes: number; clients: number; workload: string; nemesis: NemesisKind; rate: number; time: number; firstAddress: string };
  /** Members that --nodes may ask for, when the system has a fixed number (a single server). */
  fixedNodes?: number;
  extraFlags: readonly ExtraFlag[];
  missing(): Missing[];
  /** `extra` holds the extra flags by their camel-cased names, as commander gives them. */
  run(flags: CommonFlags, extra: Readonly<Record<string, string | boolean | undefined>>, io: CollectIo): Promise<CollectSummary>;
}

/** `value` as one of `choices` (commander has checked it; a wrong one is a bug, thrown as such). */
export function choice<T extends string>(choices: readonly T[], value: string | boolean | undefined): T {
  const found = choices.find((c) => c === value);
  if (found === undefined) throw new RangeError(`${String(value)}: expected one of ${choices.join(", ")}`);
  return found;
}
