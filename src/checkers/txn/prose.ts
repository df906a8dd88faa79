import type { Anomaly, AnomalyData, CycleStep, CycleStepData, VersionReason, WriteF } from "./anomaly.ts";
import { cycleNotation, describeMop, show, showList, txnName } from "./text.ts";

/** The one place anomalies become sentences: the data in, the evidence's prose out. */
export function withProse(a: AnomalyData): Anomaly {
  if ("base" in a) {
    const cycle: CycleStep[] = a.cycle.map((s) => ({ ...s, explanation: explainStep(s) }));
    return { ...a, cycle, explanation: `${a.type}: ${cycleNotation(cycle)}. ${cycle.map((s) => s.explanation).join(" ")}` };
  }
  return { ...a, explanation: explainDirect(a) };
}

function verb(write: WriteF): string {
  return write === "append" ? "append" : "write";
}

function explainDirect(a: Exclude<AnomalyData, { base: unknown }>): string {
  const key = show(a.key);
  switch (a.type) {
    case "G1a": {
      const [writer, reader] = a.ops.map(txnName);
      return `${reader} read key ${key} as ${show(a.read)}, observing ${show(a.value)}, which only ${writer} wrote, and ${writer} aborted (fail).`;
    }
    case "G1b": {
      const [writer, reader] = a.ops.map(txnName);
      return `${reader} read key ${key} as ${show(a.read)}, ending on ${show(a.value)}, an intermediate version: ${writer} wrote ${show(a.value)} and then wrote key ${key} again before committing.`;
    }
    case "internal":
      return `${txnName(a.ops[0])} read key ${key} as ${show(a.read)}, but its own earlier micro-ops imply ${a.exact ? "" : "a list ending in "}${show(a.expected)}.`;
    case "future-read":
      return `${txnName(a.ops[0])} read key ${key} as ${show(a.read)} before its own ${describeMop(a.write)}: it observed a write from its own future.`;
    case "dirty-update": {
      const [aborted, writer] = a.ops.map(txnName);
      return `Key ${key} holds ${show(a.aborted)} from the aborted ${aborted} followed by ${show(a.value)} from ${writer}: a committed update was built on an aborted one.`;
    }
    case "duplicate-elements":
      return `${txnName(a.ops[0])} read key ${key} as ${showList(a.read)}, which holds an element more than once: no sequence of appends of unique values gives that list.`;
    case "incompatible-order": {
      const [longest, reader] = a.ops.map(txnName);
      return `${reader} read key ${key} as ${showList(a.read)} but ${longest} read ${showList(a.longest)}: neither is a prefix of the other, so no single order of appends explains both.`;
    }
    case "cyclic-versions": {
      const steps = a.versions.map((v, i) => `${show(v)} precedes ${show(a.versions[(i + 1) % a.versions.length])} (${reason(a.because[i]!)})`);
      return `The versions of key ${key} cannot be ordered: ${steps.join(", ")}.`;
    }
    case "lost-update":
      return `${a.ops.map(txnName).join(" and ")} all read key ${key} at the same version (${a.write === "append" ? "ending in " : ""}${show(a.version)}) and then wrote it: every update but one was lost.`;
  }
}

/** Why a version precedes another, as a clause. */
function reason(r: VersionReason): string {
  switch (r.by) {
    case "list":
      return "in that order in the reads";
    case "unread":
      return "the later shows in no read, so it came after the last element read";
    case "initial":
      return "the initial nil precedes every write";
    case "wfr":
      return `${txnName(r.op)} read the one and then wrote the other, and writes follow reads`;
    case "sequential":
      return `process ${show(r.process)} observed them in that order (${txnName(r.ops[0])}, then ${txnName(r.ops[1])}), and keys are sequential`;
    case "linearizable":
      return `${txnName(r.ops[0])} completed before ${txnName(r.ops[1])} began, and keys are linearizable`;
    case "through":
      return `the earlier precedes ${show(r.version)}, which no committed txn wrote (${reason(r.first)}), and ${show(r.version)} precedes the later (${reason(r.then)})`;
  }
}

/** One sentence per edge, e.g. "T2 observed T1's append of 1 to key y (it read [1])". */
function explainStep(s: CycleStepData): string {
  const a = txnName(s.from);
  const b = txnName(s.to);
  switch (s.kind) {
    case "ww":
      if (s.because.by === "unread") return `${b}'s append of ${show(s.value)} to key ${show(s.key)} shows in no read, so it came after ${a}'s append of ${show(s.previous)}, the last element read.`;
      if (s.because.by === "list") return `${b}'s append of ${show(s.value)} to key ${show(s.key)} came right after ${a}'s append of ${show(s.previous)}.`;
      return `${b}'s write of ${show(s.value)} to key ${show(s.key)} came after ${a}'s write of ${show(s.previous)}: ${reason(s.because)}.`;
    case "wr":
      return `${b} observed ${a}'s ${verb(s.write)} of ${show(s.value)} to key ${show(s.key)}${Array.isArray(s.read) ? ` (it read ${show(s.read)})` : ""}.`;
    case "rw":
      if (s.because.by === "list") return `${a} did not observe ${b}'s append of ${show(s.value)} to key ${show(s.key)} (it read ${show(s.read)}).`;
      if (s.because.by === "unread") return `${a} did not observe ${b}'s append of ${show(s.value)} to key ${show(s.key)} (it read ${show(s.read)}; that append shows in no read, so it came later).`;
      if (s.because.by === "initial") return `${a} read key ${show(s.key)} as nil, so it did not observe ${b}'s write of ${show(s.value)}.`;
      return `${a} read key ${show(s.key)} as ${show(s.read)}, so it did not observe ${b}'s write of ${show(s.value)}, a later version: ${reason(s.because)}.`;
    case "process":
      return `${b} ran after ${a} on the same process ${show(s.process)}.`;
    case "realtime":
      return `${b} began after ${a} had completed (real-time order).`;
  }
}
