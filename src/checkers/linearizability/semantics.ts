import { UsageError } from "../../history/errors.ts";

/**
 * How a history's nil reads and failed ops are read: each peer's reading is a named choice,
 * reported in every verdict.
 */
export type Semantics = "knossos" | "porcupine" | "strict";

export interface SemanticsSpec {
  name: Semantics;
  /** What it means, for --help, the verdict and the docs. */
  means: string;
}

export const SEMANTICS: readonly SemanticsSpec[] = [
  { name: "knossos", means: "Knossos's: an ok read of nil matches any state; failed ops never happened" },
  { name: "porcupine", means: "Porcupine's etcd model: nil is the absent value; a failed cas saw another value than its old one" },
  { name: "strict", means: "nil is a value like any other; failed ops never happened" },
];

export interface SemanticsChoice {
  name: Semantics;
  /** Why: --semantics, or the history's format. */
  reason: string;
}

/** The reading each format's producers expect: Jepsen/Knossos EDN and JSON histories Knossos's, Jepsen text logs Porcupine's (its etcd tests), the rest strict. */
const BY_FORMAT: Readonly<Record<string, Semantics>> = {
  edn: "knossos",
  "json-array": "knossos",
  "jepsen-log": "porcupine",
};

export function chooseSemantics(requested: string | undefined, format: string): SemanticsChoice {
  if (requested !== undefined && requested !== "auto") return { name: semanticsNamed(requested), reason: `--semantics ${requested}` };
  const name = BY_FORMAT[format] ?? "strict";
  return { name, reason: `the default for ${format} histories` };
}

/** What a semantics means, for reports. */
export function semanticsMeaning(name: Semantics): string {
  return SEMANTICS.find((s) => s.name === name)!.means;
}

export function semanticsNamed(name: string): Semantics {
  const spec = SEMANTICS.find((s) => s.name === name);
  if (!spec) throw new UsageError(`unknown semantics "${name}"; expected auto or one of: ${SEMANTICS.map((s) => s.name).join(", ")}`);
  return spec.name;
}
