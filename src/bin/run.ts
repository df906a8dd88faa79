import { main } from "../cli.ts";
import { EXIT } from "../cli/errors.ts";
import { processIo } from "../cli/terminal.ts";

/** Both commands' entry: runs the CLI on this process; after Ctrl-C, exits without waiting for work still running. */
export async function run(argv: string[]): Promise<void> {
  await main(argv, processIo());
  if (process.exitCode === EXIT.interrupted) process.exit();
}
