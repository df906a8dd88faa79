/** What `collect etcd` needs from the machine (beside what every collector needs, ../preflight.ts). */
import { missingRequirements, type Missing, type Requirement } from "../preflight.ts";

export const ETCD_REQUIREMENTS: readonly Requirement[] = [{ command: "etcd", how: "apt-get install -y etcd-server" }];

export function missingEtcdRequirements(uid?: number, path?: string): Missing[] {
  return missingRequirements(ETCD_REQUIREMENTS, uid, path);
}
