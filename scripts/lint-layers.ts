/**
 * The layers, checked over the import graph of src/: no cycles, and each folder imports only
 * what sits below it (docs/architecture.md, "Layers"). Run: npm run lint:layers.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** A checker folder's files that may draw (its descriptor and report section): the rest only check. */
const DRAWING_FILE = /^src\/checkers\/(descriptor|registry)\.ts$|^src\/checkers\/[^/]+\/(checker|section|[a-z-]+-section)\.ts$/;
const THREADS = new Set(["worker_threads", "child_process", "cluster", "piscina"]);
const FILES = new Set(["fs", "fs/promises"]);
/** Printing, or anything that reaches the terminal. */
const PRINTS = /\bconsole\.\w+\(|\bprocess\.(stdout|stderr)\b/;

interface Rule {
  /** Files the rule constrains. */
  applies: (file: string) => boolean;
  /** Why an import breaks it, or undefined when it may stay. */
  forbids: (target: Target) => string | undefined;
}

/** An import: a file of src/ or a package (node builtins without their "node:" prefix). */
type Target = { file: string } | { package: string };

const inside = (...folders: string[]) => (file: string) => folders.some((f) => (f.endsWith(".ts") ? file === f : file.startsWith(f)));
const onlyFrom = (allowed: (file: string) => boolean, what: string) => (t: Target) => ("file" in t && !allowed(t.file) ? `imports ${t.file}; ${what}` : undefined);

const RULES: Rule[] = [
  { applies: inside("src/history/"), forbids: onlyFrom(inside("src/history/"), "history imports nothing above it") },
  { applies: inside("src/parsers/"), forbids: onlyFrom(inside("src/parsers/", "src/history/"), "parsers import only history") },
  {
    applies: (f) => f.startsWith("src/checkers/") && !DRAWING_FILE.test(f),
    forbids: onlyFrom(inside("src/checkers/", "src/history/"), "a checker's checking files import only history and checkers (drawing belongs in its section.ts)"),
  },
  {
    applies: inside("src/report/"),
    forbids: onlyFrom((f) => !inside("src/parsers/", "src/workers/", "src/collect/", "src/load.ts", "src/analyze.ts", "src/cli.ts")(f), "report draws verdicts; it never reads, runs or collects"),
  },
  {
    applies: (f) => !inside("src/workers/", "src/collect/")(f),
    forbids: (t) => ("package" in t && THREADS.has(t.package) ? `imports ${t.package}; only src/workers and src/collect start threads or processes` : undefined),
  },
  {
    applies: inside("src/checkers/"),
    forbids: (t) => ("package" in t && FILES.has(t.package) ? `imports ${t.package}; checkers never read files` : undefined),
  },
];

/** Every broken rule and every import cycle among `sources` (path relative to the repository → text). */
export function lintLayers(sources: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const graph = new Map<string, string[]>();
  for (const [file, text] of sources) {
    const edges: string[] = [];
    for (const specifier of ts.preProcessFile(text, true, true).importedFiles.map((i) => i.fileName)) {
      const target: Target = specifier.startsWith(".") ? { file: posix.normalize(posix.join(posix.dirname(file), specifier)) } : { package: packageName(specifier) };
      if ("file" in target) edges.push(target.file);
      for (const rule of RULES) {
        const why = rule.applies(file) ? rule.forbids(target) : undefined;
        if (why) problems.push(`${file}: ${why}`);
      }
    }
    if (file.startsWith("src/checkers/") && PRINTS.test(text)) problems.push(`${file}: prints; checkers return results and never print`);
    graph.set(file, edges);
  }
  for (const cycle of cycles(graph)) problems.push(`import cycle: ${[...cycle, cycle[0]].join(" → ")}`);
  return problems;
}

function packageName(specifier: string): string {
  const bare = specifier.replace(/^node:/, "");
  const parts = bare.split("/");
  return bare.startsWith("@") ? parts.slice(0, 2).join("/") : bare === "fs/promises" ? bare : parts[0]!;
}

/** Strongly connected components with more than one file (or a file importing itself), each as one cycle through it. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const to of graph.get(file) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)!.includes(file)) found.push(pathWithin(new Set(component), graph, [...component].sort()[0]!));
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return found;
}

/** One shortest cycle from `start` back to it inside a component (breadth first), so the message is readable. */
function pathWithin(component: ReadonlySet<string>, graph: ReadonlyMap<string, readonly string[]>, start: string): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const to of graph.get(queue[i]!) ?? []) {
      if (!component.has(to)) continue;
      if (to === start) {
        const path = [queue[i]!];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return path;
      }
      if (!previous.has(to) && to !== start) {
        previous.set(to, queue[i]!);
        queue.push(to);
      }
    }
  }
  return [start];
}

/** The sources under src/ of the repository at `root`. */
export function readSources(root: string): Map<string, string> {
  const sources = new Map<string, string>();
  for (const entry of readdirSync(join(root, "src"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const path = join(entry.parentPath, entry.name);
    sources.set(relative(root, path).split("\\").join("/"), readFileSync(path, "utf8"));
  }
  return new Map([...sources].sort(([a], [b]) => (a < b ? -1 : 1)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = lintLayers(readSources(join(dirname(fileURLToPath(import.meta.url)), "..")));
  for (const p of problems) process.stdout.write(`${p}\n`);
  process.stdout.write(problems.length === 0 ? "layers: ok\n" : `layers: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
