import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ndjson, tempDir, writeTemp } from "../support/helpers.ts";
import { crashed, spawnCli } from "../support/spawn-cli.ts";

const write = (p: number, value: number, t: number): object[] => [
  { type: "invoke", f: "write", process: p, value, time: t },
  { type: "ok", f: "write", process: p, value, time: t + 1000 },
];
const valid = (): string => writeTemp("good.ndjson", ndjson([...write(0, 1, 0), ...write(1, 2, 5000)]));

/** Every file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe("closed stdout (EPIPE, `| head -1`)", () => {
  const file = valid();
  for (const args of [["analyze", file, "--report", "none"], ["analyze", file, file, "--json", "--report", "none"], ["--version"], ["--help"], ["analyze", "--help"], ["convert", file], ["simulate", "--ops", "20000"]]) {
    it(`${args.join(" ")}: stops writing, exits quietly with the verdict's code`, async () => {
      const r = await spawnCli(args, { closeStdout: true });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!crashed(r.stderr), r.stderr);
      assert.doesNotMatch(r.stderr, /EPIPE/);
    });
  }
});

/** A small tmpfs, for a full disk and a read-only folder; undefined (the tests skip) where mounting is not allowed. */
function smallTmpfs(options: string): string | undefined {
  const dir = tempDir();
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { stdio: "ignore" });
    return dir;
  } catch {
    return undefined;
  }
}
const mounted: string[] = [];
after(() => {
  for (const dir of mounted) execFileSync("umount", [dir], { stdio: "ignore" });
});

describe("output failures: exit 4, the output path named, the verdict still printed and kept where possible", () => {
  const full = smallTmpfs("size=64k");
  const readOnly = smallTmpfs("size=64k,ro");
  if (full) mounted.push(full);
  if (readOnly) mounted.push(readOnly);
  const big = writeTemp("big.ndjson", ndjson(Array.from({ length: 400 }, (_, i) => write(i % 5, i, i * 2000)).flat()));

  it("a full disk: verdict on stdout, verdict.json kept, report.html named, no temporary files", { skip: full ? false : "cannot mount a tmpfs here (needs root)" }, async () => {
    const r = await spawnCli(["analyze", big, "--out", full!]);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout.split("\n")[0], `${big}\tvalid`);
    assert.match(r.stderr, new RegExp(`hindsight: cannot write ${full}/big/\\S+: no space left on the device \\(ENOSPC\\)`));
    assert.ok(!crashed(r.stderr), r.stderr);
    assert.deepEqual(filesUnder(full!), ["big/results.edn", "big/verdict.json"]);
    assert.equal(JSON.parse(readFileSync(join(full!, "big", "verdict.json"), "utf8")).valid, true);
  });

  it("a read-only folder: named, not blamed on the input", { skip: readOnly ? false : "cannot mount a tmpfs here (needs root)" }, async () => {
    const r = await spawnCli(["analyze", big, "--out", join(readOnly!, "reports"), "--json"]);
    assert.equal(r.code, 4);
    assert.equal(JSON.parse(r.stdout).valid, true);
    assert.match(r.stderr, new RegExp(`hindsight: cannot write ${readOnly}/reports: read-only file system \\(EROFS\\)`));
  });

  it("--out under /proc ends (a bounded mkdir), exit 4", async () => {
    const r = await spawnCli(["analyze", valid(), "--out", "/proc/hindsight-x", "--quiet"]);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /cannot write \/proc\/hindsight-x/);
  });

  it("a batch index that cannot be written: exit 4, every verdict printed, no unhandled rejection", async () => {
    const out = tempDir();
    mkdirSync(join(out, "index.html"));
    const r = await spawnCli(["analyze", valid(), valid(), "--out", out]);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout.split("\n").filter((l) => l.endsWith("\tvalid")).length, 2);
    assert.match(r.stderr, new RegExp(`cannot write ${out}/index.html: is a folder`));
    assert.ok(!crashed(r.stderr), r.stderr);
  });

  it("convert and simulate: a missing -o or --truth folder is exit 4 before anything is written; /dev/full too", async () => {
    for (const args of [["convert", valid(), "-o", "/nonexistent/x.ndjson"], ["convert", valid(), "-o", "/dev/full"], ["simulate", "-o", "/nonexistent/x.ndjson"], ["simulate", "--truth", "/nonexistent/t.json"]]) {
      const r = await spawnCli(args);
      assert.equal(r.code, 4, args.join(" "));
      assert.match(r.stderr, /^hindsight: cannot write \/(nonexistent|dev\/full)\S*: /, args.join(" "));
      assert.equal(r.stdout, "", "nothing on stdout before failing");
      assert.ok(!crashed(r.stderr), r.stderr);
    }
  });

  it("convert: a missing file or a folder is `hindsight: PATH: WHY`, exit 3", async () => {
    for (const [path, why] of [["/nonexistent.ndjson", "no such file or folder"], [tempDir(), "is a folder"]] as const) {
      const r = await spawnCli(["convert", path]);
      assert.equal(r.code, 3);
      assert.ok(r.stderr.startsWith(`hindsight: ${path}: ${why}`), r.stderr);
    }
  });
});

describe("a verdict cut short by a budget is still written", () => {
  it("--memory-limit: unknown with the reason, verdict.json and the reports on disk", async () => {
    const out = tempDir();
    const file = writeTemp("h.ndjson", ndjson(Array.from({ length: 2000 }, (_, i) => write(i % 5, i, i * 2000)).flat()));
    const r = await spawnCli(["analyze", file, "--memory-limit", "1", "--out", out]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout.split("\n")[0], `${file}\tunknown`);
    const verdict = JSON.parse(readFileSync(join(out, "h", "verdict.json"), "utf8"));
    assert.match(verdict.summary, /--memory-limit of 1 MB/);
    for (const name of ["report.md", "report.html", "results.edn"]) assert.ok(existsSync(join(out, "h", name)), name);
  });
});

describe("Ctrl-C", () => {
  /**
   * A FIFO as a history: the analysis blocks reading it, so the signal surely lands mid-analysis.
   * (--format ndjson: detecting the format reads at a position, which a FIFO cannot.)
   */
  async function blockedOn(fifo: string, args: string[], printedFirst = ""): Promise<{ exited: Promise<import("../support/spawn-cli.ts").Exited> }> {
    execFileSync("mkfifo", [fifo]);
    let exited!: Promise<import("../support/spawn-cli.ts").Exited>;
    await new Promise<void>((ready) => {
      exited = spawnCli(args, {
        started: (child) => {
          // Opening the FIFO for writing completes once the CLI opened it to read.
          let printed = "";
          const firstPrinted = new Promise<void>((resolve) => {
            if (printedFirst === "") resolve();
            child.stdout!.on("data", (d: Buffer) => {
              printed += d.toString();
              if (printed.includes(printedFirst)) resolve();
            });
          });
          void Promise.all([open(fifo, "w"), firstPrinted]).then(([handle]) => {
            child.kill("SIGINT");
            // The exit waits for the thread blocked reading the FIFO: end the FIFO once the CLI said it stopped.
            child.stderr!.on("data", (d: Buffer) => {
              if (d.toString().includes("hindsight: interrupted;")) void handle.close();
            });
            ready();
          });
        },
      });
    });
    return { exited };
  }

  for (const workers of ["1", "2"]) {
    it(`a batch (--workers ${workers}): prints and indexes what finished, the rest unknown, exit 130`, async () => {
      const dir = tempDir();
      const out = join(dir, "out");
      const first = join(dir, "a.ndjson");
      writeFileSync(first, ndjson(write(0, 1, 0)));
      const { exited } = await blockedOn(join(dir, "b.ndjson"), ["analyze", first, join(dir, "b.ndjson"), "--out", out, "--workers", workers, "--format", "ndjson"], `${first}\tvalid`);
      const r = await exited;
      assert.equal(r.code, 130, r.stderr);
      assert.deepEqual(r.stdout.split("\n").slice(0, 2), [`${first}\tvalid`, `${join(dir, "b.ndjson")}\tunknown`]);
      assert.match(r.stderr, /interrupted; 1 of 2 finished and were printed and indexed/);
      const index = readFileSync(join(out, "index.md"), "utf8");
      assert.match(index, /\[a\.ndjson\]|a\.ndjson/);
      assert.doesNotMatch(index, /b\.ndjson/);
      assert.deepEqual(readdirSync(out).sort(), ["a", "index.html", "index.md"], "no staging folders left");
    });
  }

  it("a single file: prints what it can (unknown), exit 130", async () => {
    const dir = tempDir();
    const fifo = join(dir, "h.ndjson");
    const { exited } = await blockedOn(fifo, ["analyze", fifo, "--out", join(dir, "out"), "--format", "ndjson"]);
    const r = await exited;
    assert.equal(r.code, 130);
    assert.equal(r.stdout.split("\n")[0], `${fifo}\tunknown`);
    assert.ok(!crashed(r.stderr), r.stderr);
  });
});
