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
  const [{ main }, { EXIT }, { processIo }] = await Promise.all([import("../cli.ts"), import("../cli/errors.ts"), import("../cli/terminal.ts")]);
  await main(argv, processIo());
  if (process.exitCode === EXIT.interrupted) process.exit();
}
