// tsc writes files without the execute bit; `npx analyze` and `npx hindsight` run the bins directly.
// The bins are the launchers (scripts/build-snapshot.mjs); the entries they start are executable too
// (each has its `#!/usr/bin/env node`), for links an install made before the launchers existed.
import { chmodSync, readFileSync } from "node:fs";

const { bin } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
for (const path of Object.values(bin)) for (const file of [path, `${path}.js`]) chmodSync(new URL(`../${file}`, import.meta.url), 0o755);
