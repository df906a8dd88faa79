import { VERSION } from "../version.ts";

/**
 * Both commands' entry. `--version` answers before anything loads (it is what scripts call to
 * probe the tool); the rest runs the CLI on this process, and after Ctrl-C exits without waiting
 * for work still running.
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
}
