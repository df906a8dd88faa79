import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir } from "../support/helpers.ts";
import { crashed } from "../support/spawn-cli.ts";

// The built bins (`npm run build`, which `npm ci` runs): the launchers scripts/build-snapshot.mjs
// writes, held to the plain modules of the same build.
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "dist", "bin");
const built = existsSync(join(BIN, "hindsight.js")) && existsSync(join(BIN, "hindsight"));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

type Env = Record<string, string | undefined>;

/** This environment without NODE_OPTIONS (the test runner's own would turn the snapshot off), plus `extra`. */
const cleanEnv = (extra: Env = {}): Env => ({ ...process.env, NODE_OPTIONS: undefined, ...extra });

function launch(name: "hindsight" | "analyze", args: string[], env: Env = {}, input?: Buffer): Run {
  const r: SpawnSyncReturns<string> = spawnSync(join(BIN, name), args, { cwd: ROOT, env: cleanEnv(env), input, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The node command line the launcher ends in (`sh -x` prints it). */
function execLine(args: string[], env: Env = {}): string {
  const r = spawnSync("sh", ["-x", join(BIN, "hindsight"), ...args], { cwd: ROOT, env: cleanEnv(env), encoding: "utf8" });
  const line = r.stderr.split("\n").find((l) => l.startsWith("+ exec "));
  assert.ok(line, r.stderr);
  return line;
}

/** Every file under `dir`, by relative path, with the folder's own name in it written as DIR. */
function folder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string): void => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, "utf8").replaceAll(dir, "DIR"));
    }
  };
  walk(dir);
  return files;
}

/** The same command through the snapshot and through the plain modules: the same output, status and reports. */
function sameEitherWay(args: (out: string) => string[], name: "hindsight" | "analyze" = "hindsight", input?: Buffer): Run {
  const [snapshotOut, plainOut] = [join(tempDir(), "out"), join(tempDir(), "out")];
  const snapshot = launch(name, args(snapshotOut), {}, input);
  const plain = launch(name, args(plainOut), { HINDSIGHT_NO_SNAPSHOT: "1" }, input);
  const unify = (run: Run, out: string): Run => ({ code: run.code, stdout: run.stdout.replaceAll(out, "DIR"), stderr: run.stderr.replaceAll(out, "DIR") });
  assert.deepEqual(unify(snapshot, snapshotOut), unify(plain, plainOut));
  assert.equal(existsSync(snapshotOut), existsSync(plainOut));
  if (existsSync(plainOut)) assert.deepEqual(folder(snapshotOut), folder(plainOut));
  return snapshot;
}

describe("the launchers (scripts/build-snapshot.mjs)", { skip: built ? false : "dist/ is not built (npm run build)" }, () => {
  it("start node from the snapshot built here, and from the plain modules when NODE_OPTIONS, HINDSIGHT_NO_SNAPSHOT or another node would make V8 refuse it", () => {
    assert.ok(existsSync(join(ROOT, "dist", "snapshot", "hindsight.blob")), "npm run build made no snapshot");
    const snapshot = ` --v8-pool-size=1 --snapshot-blob ${join(BIN, "..", "snapshot", "hindsight.blob")} ${join(BIN, "hindsight.js")} analyze x.ndjson`;
    assert.ok(execLine(["analyze", "x.ndjson"]).endsWith(snapshot), execLine(["analyze", "x.ndjson"]));
    const plain = ` ${join(BIN, "hindsight.js")} analyze x.ndjson`;
    const nodeOptions = execLine(["analyze", "x.ndjson"], { NODE_OPTIONS: "--max-old-space-size=300" });
    assert.ok(nodeOptions.endsWith(plain) && !nodeOptions.includes("--snapshot-blob") && !nodeOptions.includes("--v8-pool-size"), nodeOptions);
    const off = execLine(["analyze", "x.ndjson"], { HINDSIGHT_NO_SNAPSHOT: "1", flags: "--inspect" });
    assert.ok(off.endsWith(` --v8-pool-size=1${plain}`) && !off.includes("--snapshot-blob"), off);
    // Another node on PATH (here a script standing for one): another file, so not the snapshot's.
    const otherNode = join(tempDir(), "node");
    writeFileSync(otherNode, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} "$@"\n`);
    chmodSync(otherNode, 0o755);
    const line = execLine(["analyze", "x.ndjson"], { PATH: `${join(otherNode, "..")}:${process.env.PATH}` });
    assert.ok(line.startsWith(`+ exec ${otherNode} `) && !line.includes("--snapshot-blob"), line);
    assert.ok(!execLine(["--version"]).includes("--snapshot-blob"), "--version answers from the plain entry, which loads nothing");
    // Executable, the launchers and the entries (which links made by an older install point to).
    for (const name of ["hindsight", "analyze", "hindsight.js", "analyze.js"]) assert.equal(statSync(join(BIN, name)).mode & 0o111, 0o111, name);
  });

  it("snapshot a bundle of ASCII only (V8 holds a source two bytes a character once one character needs them)", () => {
    const bundle = readFileSync(join(ROOT, "dist", "snapshot", "hindsight.cjs"), "utf8");
    assert.ok(bundle.length > 100_000);
    assert.equal(bundle.search(/[^\0-\x7f]/), -1);
  });

  it("print, exit and write the same through the snapshot as through the plain modules", () => {
    assert.equal(sameEitherWay((out) => ["analyze", "histories/run-17.ndjson", "histories/majority-bank.ndjson", "histories/serializable-txn-list-append.ndjson", "--out", out]).code, 0);
    assert.equal(sameEitherWay((out) => ["histories/async-failover-set.ndjson", "--out", out], "analyze").code, 1);
    assert.equal(sameEitherWay(() => ["-", "--report", "none"], "analyze", readFileSync(join(ROOT, "histories", "run-17.ndjson"))).code, 0);
    for (const args of [["--help"], ["analyze", "--help"], ["--version"], ["convert", "histories/run-17.ndjson", "--to", "edn"]]) assert.equal(sameEitherWay(() => args).code, 0);
    const missing = sameEitherWay(() => ["analyze", "no-such-file.ndjson"]);
    assert.equal(missing.code, 3);
    assert.ok(!crashed(missing.stderr), missing.stderr);
  });

  it("run workers and the larger young generation's child from the snapshot", () => {
    // Under --memory-limit only workers analyze (they are the threads it caps).
    const batch = sameEitherWay((out) => ["analyze", "histories/run-17.ndjson", "histories/async-failover-set.ndjson", "histories/isr-bank.ndjson", "--memory-limit", "1000", "--out", out]);
    assert.equal(batch.code, 1);
    assert.doesNotMatch(batch.stdout + batch.stderr, /unreadable|worker stopped/);
    const zeros = join(tempDir(), "zeros.ndjson");
    writeFileSync(zeros, "");
    truncateSync(zeros, 64 * 1024 * 1024);
    const child = sameEitherWay(() => ["analyze", zeros, "--report", "none"]);
    assert.equal(child.code, 3);
    assert.match(child.stderr, /zeros\.ndjson:1: unrecognised format/);
  });

  it("a packed package holds the bundle, not the blob, and its postinstall snapshots it where it is installed", () => {
    const at = tempDir();
    const packed = spawnSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", at], { cwd: ROOT, encoding: "utf8" });
    assert.equal(packed.status, 0, packed.stderr);
    assert.equal(spawnSync("tar", ["-xzf", join(at, packed.stdout.trim()), "-C", at]).status, 0);
    const installed = join(at, "package");
    symlinkSync(join(ROOT, "node_modules"), join(installed, "node_modules"));
    assert.ok(existsSync(join(installed, "dist", "snapshot", "hindsight.cjs")) && !existsSync(join(installed, "dist", "snapshot", "hindsight.blob")));
    const chartCache = join(installed, "dist", "report", "chart-libraries.cache");
    assert.ok(!existsSync(chartCache), "the charts' code cache, like the blob, is made where the package is installed");
    const { scripts } = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const bin = join(installed, "dist", "bin", "analyze");
    // What `npm pack` packs: `prepare` ends by making the bins node scripts, which every platform's shims can run.
    const packing = scripts.prepare!.split(" && ").at(-1)!;
    assert.equal(spawnSync("sh", ["-c", packing], { cwd: installed, env: cleanEnv({ npm_command: "pack" }) }).status, 0);
    assert.match(readFileSync(bin, "utf8"), /^#!\/usr\/bin\/env node\n/);
    const before = spawnSync(bin, [join(ROOT, "histories", "run-17.ndjson"), "--report", "none"], { cwd: at, env: cleanEnv(), encoding: "utf8" });
    assert.equal(before.status, 0, before.stderr);
    // Installed as a version manager installs (volta, mise): the node on PATH is a shim that runs the real one.
    const shim = (dir: string, comment: string): string => {
      writeFileSync(join(dir, "node"), `#!/bin/sh\n# ${comment}\nexec ${JSON.stringify(process.execPath)} "$@"\n`, { mode: 0o755 });
      return `${dir}:${process.env.PATH}`;
    };
    const viaShim = shim(tempDir(), "the shim");
    const postinstall = spawnSync("sh", ["-c", scripts.postinstall!], { cwd: installed, env: cleanEnv({ PATH: viaShim }), encoding: "utf8" });
    assert.equal(postinstall.status, 0, postinstall.stderr);
    assert.equal(postinstall.stderr, "");
    assert.match(readFileSync(bin, "utf8"), /^#!\/bin\/sh\n/);
    assert.ok(existsSync(chartCache));
    const args = (out: string): string[] => [join(ROOT, "histories", "run-17.ndjson"), "--out", out];
    const traced = spawnSync("sh", ["-x", bin, ...args(join(at, "a"))], { cwd: at, env: cleanEnv(), encoding: "utf8" });
    assert.equal(traced.status, 0, traced.stderr);
    assert.ok(traced.stderr.includes(`--snapshot-blob ${join(installed, "dist", "snapshot", "hindsight.blob")} `), traced.stderr);
    // Behind the shim it stood for, the node that built the snapshot runs it; behind another, the plain modules.
    const execLineVia = (path: string): string => spawnSync("sh", ["-x", bin, "--help"], { cwd: at, env: cleanEnv({ PATH: path }), encoding: "utf8" }).stderr.split("\n").find((l) => l.startsWith("+ exec "))!;
    assert.ok(execLineVia(viaShim).startsWith(`+ exec ${process.execPath} --v8-pool-size=1 --snapshot-blob `), execLineVia(viaShim));
    const another = shim(tempDir(), "another shim");
    assert.ok(!execLineVia(another).includes("--snapshot-blob"), execLineVia(another));
    const shimmed = spawnSync(bin, args(join(at, "c")), { cwd: at, env: cleanEnv({ PATH: viaShim }), encoding: "utf8" });
    assert.equal(shimmed.status, 0, shimmed.stderr);
    const plain = spawnSync(bin, args(join(at, "b")), { cwd: at, env: cleanEnv({ HINDSIGHT_NO_SNAPSHOT: "1" }), encoding: "utf8" });
    assert.equal(plain.status, 0, plain.stderr);
    assert.deepEqual(folder(join(at, "a")), folder(join(at, "b")));
    assert.deepEqual(folder(join(at, "c")), folder(join(at, "b")));
  });

  it("postinstall does nothing where nothing is built yet (a clone's npm ci runs it before prepare), nor does prepare's last step outside npm pack", () => {
    const clone = tempDir();
    mkdirSync(join(clone, "scripts"));
    writeFileSync(join(clone, "scripts", "build-snapshot.mjs"), readFileSync(join(ROOT, "scripts", "build-snapshot.mjs")));
    for (const step of ["--from-bundle", "--packing"]) {
      const r = spawnSync(process.execPath, ["scripts/build-snapshot.mjs", step], { cwd: clone, env: cleanEnv({ npm_command: "ci" }), encoding: "utf8" });
      assert.deepEqual([r.status, r.stdout, r.stderr], [0, "", ""]);
      assert.deepEqual(readdirSync(clone), ["scripts"]);
    }
  });
});
