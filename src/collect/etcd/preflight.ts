/** What `collect etcd` needs from the machine, and how to get what is missing. */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export interface Missing {
  what: string;
  how: string;
}

/** The commands it runs; setpriv (util-linux) starts members as their own uids. */
const COMMANDS: ReadonlyArray<{ command: string; how: string }> = [
  { command: "etcd", how: "apt-get install -y etcd-server" },
  { command: "iptables", how: "apt-get install -y iptables" },
  { command: "setpriv", how: "apt-get install -y util-linux" },
];

export function missingRequirements(uid: number | undefined = process.getuid?.(), path: string = process.env.PATH ?? ""): Missing[] {
  const missing: Missing[] = [];
  if (uid !== 0) missing.push({ what: "root (iptables rules and member uids)", how: "run it as root, e.g. with sudo" });
  for (const { command, how } of COMMANDS) if (!onPath(command, path)) missing.push({ what: `${command} on PATH`, how });
  return missing;
}

function onPath(command: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
