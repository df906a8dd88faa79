/** What a collector needs from the machine, and how to get what is missing; checked before anything starts. */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";

export interface Missing {
  what: string;
  how: string;
}

/** A command on PATH, or an absolute path to a program (e.g. PostgreSQL's, which Debian keeps off PATH) or, with `file`, to a file it reads (a jar). */
export interface Requirement {
  command: string;
  how: string;
  file?: boolean;
}

/** Every collector runs iptables and starts members through setpriv (util-linux). */
const COMMON: readonly Requirement[] = [
  { command: "iptables", how: "apt-get install -y iptables" },
  { command: "setpriv", how: "apt-get install -y util-linux" },
];

export function missingRequirements(requirements: readonly Requirement[], uid: number | undefined = process.getuid?.(), path: string = process.env.PATH ?? ""): Missing[] {
  const missing: Missing[] = [];
  if (uid !== 0) missing.push({ what: "root (iptables rules and member uids)", how: "run it as root, e.g. with sudo" });
  for (const { command, how, file } of [...requirements, ...COMMON]) {
    if (isAbsolute(command) ? !usable(command, file ? constants.R_OK : constants.X_OK) : !path.split(delimiter).some((dir) => usable(join(dir, command), constants.X_OK))) {
      missing.push({ what: isAbsolute(command) ? command : `${command} on PATH`, how });
    }
  }
  return missing;
}

/** Why the history could not be written to `output`, checked before a collection starts (undefined: it can). */
export function outputProblem(output: string): string | undefined {
  const folder = dirname(resolve(output));
  try {
    if (!statSync(folder).isDirectory()) return `${output}: ${folder} is not a folder`;
  } catch {
    return `${output}: the folder ${folder} does not exist`;
  }
  return undefined;
}

function usable(file: string, mode: number): boolean {
  try {
    accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}
