import type { CheckerFlag, FlagText } from "../checker.ts";

/** Shared by every checker that knows independent keys: the CLI lists each flag once. */
export const INDEPENDENT_FLAGS: readonly CheckerFlag[] = [
  { flags: "--independent", description: "split every [key value] tuple by key (Jepsen's independent keys) and judge each key alone (default: when every client value is a tuple)" },
  { flags: "--no-independent", description: "never split by [key value] tuples" },
];

/** true: split; false: never; undefined: when the ops are tuples. */
export function independentOption(flags: FlagText): boolean | undefined {
  return flags.independent === undefined ? undefined : flags.independent === "true";
}
