import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { tempDir } from "./helpers.ts";

/** Why a test needing a real Redis cannot run here, or undefined when it can. */
export function redisSkipReason(): string | undefined {
  return spawnSync("redis-server", ["--version"]).status === 0 ? undefined : "redis-server is not installed (apt-get install redis-server)";
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

/** A throwaway redis-server on a free localhost port, in a temp dir, persisting nothing. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const server: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tempDir()], { stdio: ["ignore", "pipe", "inherit"] });
  let log = "";
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on("data", (d: Buffer) => {
      log += d;
      if (log.includes("Ready to accept connections")) resolve();
    });
    server.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${log}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (server.exitCode !== null) return;
      server.kill("SIGKILL");
      await once(server, "exit");
    },
  };
}

const CLI = fileURLToPath(new URL("../../src/bin/hindsight.ts", import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  log: string;
}

/** tsx by URL: a worker started in another folder cannot resolve the bare name. */
const TSX = import.meta.resolve("tsx");

/**
 * A `hindsight worker` process, resolved once it takes tasks; its stderr (one line per task) in
 * `log`. `cwd` and `env` stand for another machine: its own working folder and temp folder.
 */
export function startWorker(url: string, concurrency: number, stallSeconds = 30, place: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--import", TSX, CLI, "worker", "--redis", url, "--concurrency", String(concurrency), "--stall-timeout", String(stallSeconds)], { stdio: ["ignore", "ignore", "pipe"], ...place });
  const worker: WorkerProcess = { child, log: "" };
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (d: Buffer) => {
      worker.log += d;
      if (worker.log.includes("taking tasks from")) resolve(worker);
    });
    child.once("exit", (code) => reject(new Error(`worker exited (${code}): ${worker.log}`)));
  });
}

export async function stopWorker({ child }: WorkerProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}
