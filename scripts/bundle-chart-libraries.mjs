// Observable Plot and linkedom are ~330 modules between them; loading them as one CommonJS
// bundle costs about a third of the CPU (docs/decisions.md). The built report/charts.js loads
// this bundle when it is beside it; under tsx (tests, benches) the packages load as they are.
//   node scripts/bundle-chart-libraries.mjs [OUTFILE]    (default: dist/report/chart-libraries.cjs)
import { build } from "esbuild";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

await build({
  stdin: { contents: 'module.exports = { Plot: require("@observablehq/plot"), linkedom: require("linkedom") };', resolveDir: fileURLToPath(new URL("..", import.meta.url)), loader: "js" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  outfile: process.argv[2] ? resolve(process.argv[2]) : fileURLToPath(new URL("../dist/report/chart-libraries.cjs", import.meta.url)),
  logLevel: "warning",
});
