import { VERSION } from "../version.ts";

/**
 * Both commands' entry. `--version` answers before anything loads (it is what scripts call to
 * probe the tool); the rest runs the CLI on this process, and after Ctrl-C exits without waiting
 * for work still running, after `analyze` as soon as its output is written.
 */
export async function run(argv: string[]): Promise<void> {
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    process.stdout.on("error", () => undefined); // a closed stdout (EPIPE) has nothing left to tell
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (argv[0] === "analyze") {
    const young = await import("../workers/young-generation.ts");
    if (young.wantsLargeYoungGeneration(argv.slice(1)) && (await young.rerunWithLargeYoungGeneration(argv))) return;
  }
  const [{ main }, { EXIT, explain }, { processIo }] = await Promise.all([import("../cli.ts"), import("../cli/errors.ts"), import("../cli/terminal.ts")]);
  // A bug that escapes every path still exits 3 with one message, never 1 (which means "invalid");
  // a closed stream (EPIPE) that escapes is only a reader that left.
  const bug = (error: unknown): void => {
    const { message } = explain(error);
    if (message === undefined) return;
    process.stderr.write(`${message}\n`);
    process.exit(EXIT.error);
  };
  process.on("unhandledRejection", bug);
  process.on("uncaughtException", bug);
  await main(argv, processIo());
  if (process.exitCode === EXIT.interrupted) process.exit();
  // Everything analyze does is awaited by now; exiting here spares waiting for V8's background
  // compiles, which node drains before a natural exit (~10 ms, docs/decisions.md).
  if (argv[0] === "analyze") {
    await flushed(process.stdout);
    await flushed(process.stderr);
    process.exit();
  }
}

/** Resolves once `stream` holds nothing unwritten (at once for files and, on Linux, pipes and terminals, whose writes block). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once("drain", resolve);
    stream.once("close", resolve);
    stream.once("error", resolve);
  });
}
