/** `hindsight collect postgres`: a private PostgreSQL server on this machine, run by the collector framework (../run.ts). */
import { choice, type Collector } from "../collectors.ts";
import { missingRequirements } from "../preflight.ts";
import { collect } from "../run.ts";
import { accountUid, PG_BIN, PostgresServer } from "./server.ts";
import { isolationStatement, ISOLATIONS, makePgWorkload, PG_WORKLOADS, schema } from "./workloads.ts";

const HOW = "apt-get install -y postgresql";
// Row-lock waits end after lock_timeout (500 ms) as a definite fail; past this, the outcome is unknown.
const OP_TIMEOUT_MS = 3000;

export const postgresCollector: Collector = {
  name: "postgres",
  description: "a private PostgreSQL 15 server (initdb in a temp folder, its own loopback address), transactions at an isolation level; needs root, postgresql and iptables",
  workloads: PG_WORKLOADS,
  nemeses: ["none", "cut-client"],
  // Many clients at a high rate over four keys: concurrent transactions must overlap for anomalies to show.
  defaults: { nodes: 1, clients: 10, workload: "list-append", nemesis: "none", rate: 200, time: 20, firstAddress: "127.0.0.1" },
  fixedNodes: 1,
  extraFlags: [{ flags: "--isolation <level>", description: "transaction isolation level", choices: ISOLATIONS, default: "serializable" }],
  missing: () => {
    const missing = missingRequirements([{ command: `${PG_BIN}/postgres`, how: HOW }, { command: `${PG_BIN}/initdb`, how: HOW }]);
    if (accountUid("postgres") === undefined) missing.push({ what: "the postgres account (PostgreSQL will not run as root)", how: HOW });
    return missing;
  },
  run: (flags, extra, io) => {
    const workload = choice(PG_WORKLOADS, flags.workload);
    const isolation = choice(ISOLATIONS, extra.isolation ?? "serializable");
    return collect(
      {
        name: "postgres",
        nemeses: postgresCollector.nemeses,
        sourceAddresses: false,
        build: (dir) => ({
          system: new PostgresServer(dir, flags.firstAddress, accountUid("postgres")!, OP_TIMEOUT_MS, schema(workload), isolationStatement(isolation)),
          workload: makePgWorkload(workload),
        }),
      },
      { ...flags, timeSeconds: flags.time, workload: workload === "set" ? "set" : `${workload} at ${isolation}` },
      io,
    );
  },
};
