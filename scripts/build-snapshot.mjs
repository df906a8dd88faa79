// The bins are shell launchers that start node from a start-up snapshot of Hindsight's modules
// (docs/decisions.md, "A start-up snapshot behind a shell launcher"). Run by `npm run build`:
//   node scripts/build-snapshot.mjs
// 1. bundles src/bin/snapshot.ts and every module it can reach into one script, dist/snapshot/hindsight.cjs
//    (a snapshot is taken of a script; it holds no module loader);
// 2. runs that script under `node --build-snapshot`, giving dist/snapshot/hindsight.blob;
// 3. writes dist/bin/hindsight and dist/bin/analyze, which start node from the blob when it was built
//    here by the node on PATH, and as `node dist/bin/<name>.js` otherwise.
// A packed package holds the bundle but not the blob, which belongs to the machine and node that
// built it; its `postinstall` runs steps 2 and 3 where it is installed (no esbuild needed):
//   node scripts/build-snapshot.mjs --from-bundle
// That does nothing where there is no bundle yet (a clone's `npm ci` runs it before `prepare`).
// npm makes an install's bin links (on Windows, shims that follow the shebang) before `postinstall`
// runs, so the bins `npm pack` and `npm publish` pack are the node scripts every platform runs:
// `prepare` ends with the first line below, which writes them only under those two commands, and
// `postpack` runs the second, which puts the launchers back:
//   node scripts/build-snapshot.mjs --packing
//   node scripts/build-snapshot.mjs --from-bundle
// A snapshot that cannot be built is a warning, not a failed install: the launchers then always start
// the plain modules. Last, in every case, it writes the chart bundle's code cache (scripts/chart-code-cache.mjs).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");
const bundle = join(dist, "snapshot", "hindsight.cjs");
const blob = join(dist, "snapshot", "hindsight.blob");

// Loaded when a command first needs them, with the package's own resolution: Plot and linkedom are
// already a bundle of their own (scripts/bundle-chart-libraries.mjs) and hold Intl formatters, which a
// snapshot cannot; the clients of the collectors and of the Redis queue, only for the commands that use them.
const LOADED_AT_RUN_TIME = ["@observablehq/plot", "linkedom", "pg", "ioredis", "bullmq", "node-zookeeper-client"];

/**
 * The bundle with every character past ASCII escaped. V8 holds a script's source in the snapshot,
 * two bytes a character as soon as one character needs them: esbuild escapes strings and
 * templates but keeps comments and regular expressions as written, and their few arrows and
 * dashes made the 0.85 MB bundle 1.7 MB of snapshot (each start reads it back). In a comment or a
 * regular expression `\uXXXX` means what the character did; the one context where it would not,
 * a raw template (String.raw), stops the snapshot instead (a warning, as any step that fails).
 */
const asciiOnly = (text) => {
  if (/String\.raw`[^`]*[^\0-\x7f]/.test(text)) throw new Error("a String.raw template holds a character past ASCII, which escaping would change");
  return text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
};

/**
 * `import.meta` means nothing in a script: each module's URL becomes that of its built file in the
 * dist/ the bundle sits in, found from the bundle's own folder when the snapshot is built, so that
 * a packed bundle can be snapshotted where it is installed.
 */
const BUILT_FILE_URL = `const __builtFileUrl = (file) => require("node:url").pathToFileURL(require("node:path").join(__dirname, "..", file)).href;`;
const builtFileUrls = {
  name: "built-file-urls",
  setup(on) {
    on.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!args.path.startsWith(src)) return undefined;
      const file = relative(src, args.path).replace(/\.ts$/, ".js").split(sep).join("/");
      const text = readFileSync(args.path, "utf8")
        .replaceAll("import.meta.url", `__builtFileUrl(${JSON.stringify(file)})`)
        // Only tsx's worker needs it, and a bundle is never run under tsx.
        .replaceAll("import.meta.resolve", "((specifier) => { throw new Error(`cannot resolve ${specifier} in the snapshot bundle`); })");
      if (text.includes("import.meta")) throw new Error(`${args.path}: import.meta used in a way the snapshot bundle does not know`);
      return { contents: text, loader: "ts" };
    });
  },
};

/** A snapshot's own `require` loads only Node's modules, so these are required from dist/ when first used. */
const requiredAtRunTime = {
  name: "required-at-run-time",
  setup(on) {
    const packages = new RegExp(`^(${LOADED_AT_RUN_TIME.map((p) => p.replace(/[/.]/g, "\\$&")).join("|")})(/|$)`);
    on.onResolve({ filter: packages }, (args) => ({ path: args.path, namespace: "run-time" }));
    on.onLoad({ filter: /.*/, namespace: "run-time" }, (args) => ({
      contents: `module.exports = require("node:module").createRequire(__builtFileUrl("index.js"))(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};

/** Inode and size of the node binary `path` names, as the launcher reads them (a new install is a new file). */
function fingerprint(path) {
  return execFileSync("sh", ["-c", `${FINGERPRINT}\nfingerprint "$1"`, "sh", path], { encoding: "utf8" }).trim();
}
const FINGERPRINT = `fingerprint() { set -- $(ls -iLn -- "$1" 2>/dev/null); echo "\${1-} \${6-}"; }`;

/** A step that failed is a warning, with what the command it ran printed: the install goes on without it. */
function warn(what, error) {
  const output = [error.stdout, error.stderr].filter(Boolean).join("").trim();
  process.stderr.write(`build-snapshot: ${what}: ${error.message}${output ? `\n${output}` : ""}\n`);
}

const quoted = (text) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * The fingerprint of the node on PATH when it is not this node but ran it: a version manager's
 * shim (volta, mise, asdf), which the launcher will find there too; undefined otherwise.
 */
function standInFor(builtBy) {
  try {
    const onPath = execFileSync("sh", ["-c", "command -v node"], { encoding: "utf8" }).trim();
    const found = fingerprint(onPath);
    if (found === builtBy || found === " ") return undefined;
    const runs = execFileSync(onPath, ["-p", "process.execPath"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return realpathSync(runs) === realpathSync(process.execPath) ? found : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The launcher for `dist/bin/<name>.js`. V8 refuses a snapshot built by another node or under other
 * V8 flags (exit 14), so it is used only when NODE_OPTIONS is empty and the node on PATH is the one
 * that built it, or the shim that stood for it then (the launcher then runs the building node, if
 * still there: as a version manager runs a tool with the node it was installed with);
 * HINDSIGHT_NO_SNAPSHOT=1 turns it off. `--version` alone skips it: the plain
 * entry answers that before loading anything, and sooner than the snapshot deserializes. Unless
 * NODE_OPTIONS says otherwise, V8 gets one background thread instead of four: on a short run they
 * only contend with the main thread for the cores (etcd batch 0.82× wall; docs/decisions.md).
 */
function launcher(name, builtBy, standIn) {
  return `#!/bin/sh
# ${name}: starts node from Hindsight's start-up snapshot when it was built here by the node on PATH
# (or by the one a version manager's shim on PATH stood for), else runs the plain modules.
# Written by \`npm run build\` (scripts/build-snapshot.mjs).
built_in=${quoted(join(dist, "bin"))}
built_by=${quoted(builtBy)}
built_with=${quoted(process.execPath)}
stand_in=${quoted(standIn ?? "")}
${FINGERPRINT}
self=$(readlink -f -- "$0" 2>/dev/null) || self=$0
here=\${self%/*}
[ -f "$here/${name}.js" ] || here=$built_in
node=$(command -v node) || { echo "${name}: node is not on PATH" >&2; exit 3; }
if [ "$#" -eq 1 ] && { [ "$1" = --version ] || [ "$1" = -V ]; }; then exec "$node" "$here/${name}.js" "$@"; fi
flags=
[ -n "\${NODE_OPTIONS-}" ] || flags=--v8-pool-size=1
blob=\${here%/*}/snapshot/hindsight.blob
if [ "$here" = "$built_in" ] && [ -z "\${NODE_OPTIONS-}" ] && [ -z "\${HINDSIGHT_NO_SNAPSHOT-}" ] && [ -r "$blob" ]; then
  found=$(fingerprint "$node")
  if [ -n "$stand_in" ] && [ "$found" = "$stand_in" ] && [ "$(fingerprint "$built_with")" = "$built_by" ]; then node=$built_with found=$built_by; fi
  [ "$found" = "$built_by" ] && exec "$node" $flags --snapshot-blob "$blob" "$here/${name}.js" "$@"
fi
exec "$node" $flags "$here/${name}.js" "$@"
`;
}

/**
 * Windows has no sh to launch from, so there (and in a packed package, see above) the bins are
 * node scripts that load the plain entry (`import()` reads the same in either module system) and
 * no snapshot is built.
 */
const plainLauncher = (name) => `#!/usr/bin/env node\n// ${name}: the plain modules, no start-up snapshot. Written by scripts/build-snapshot.mjs.\nimport("./${name}.js");\n`;

const writeBins = (plain, builtBy, standIn) => {
  for (const name of ["hindsight", "analyze"]) writeFileSync(join(dist, "bin", name), plain ? plainLauncher(name) : launcher(name, builtBy, standIn), { mode: 0o755 });
};
if (process.argv.includes("--packing")) {
  if (["pack", "publish"].includes(process.env.npm_command ?? "")) writeBins(true);
  process.exit(0);
}
const fromBundle = process.argv.includes("--from-bundle");
if (fromBundle && !existsSync(bundle)) process.exit(0);
const plainBins = process.platform === "win32";
let builtBy = "none";
try {
  if (!fromBundle) {
    rmSync(join(dist, "snapshot"), { recursive: true, force: true });
    const { build } = await import("esbuild");
    const { outputFiles } = await build({
      entryPoints: [join(src, "bin", "snapshot.ts")],
      bundle: true,
      format: "cjs",
      platform: "node",
      target: "node20",
      outfile: bundle,
      plugins: [builtFileUrls, requiredAtRunTime],
      banner: { js: BUILT_FILE_URL },
      logLevel: "error",
      write: false,
    });
    mkdirSync(join(dist, "snapshot"), { recursive: true });
    writeFileSync(bundle, asciiOnly(outputFiles[0].text));
  }
  if (!plainBins) {
    rmSync(blob, { force: true });
    execFileSync(process.execPath, ["--snapshot-blob", blob, "--build-snapshot", bundle], { stdio: ["ignore", "pipe", "pipe"] });
    builtBy = fingerprint(process.execPath);
  }
} catch (error) {
  rmSync(blob, { force: true });
  warn("no start-up snapshot (the bins will start the plain modules)", error);
}
// The chart bundle's code cache belongs to this node too (scripts/chart-code-cache.mjs), on every platform.
const chartBundle = join(dist, "report", "chart-libraries.cjs");
if (existsSync(chartBundle)) {
  try {
    rmSync(join(dist, "report", "chart-libraries.cache"), { force: true });
    execFileSync(process.execPath, [join(root, "scripts", "chart-code-cache.mjs")], { stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    warn("no code cache for the charts (they compile on first use)", error);
  }
}
writeBins(plainBins, builtBy, plainBins || builtBy === "none" ? undefined : standInFor(builtBy));
