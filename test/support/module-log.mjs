// `node --import ./module-log.mjs`: appends every module URL the process resolves to $MODULE_LOG.
import { register } from "node:module";

register("data:text/javascript," + encodeURIComponent(`
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(process.env.MODULE_LOG ?? "/dev/null")}, resolved.url + "\\n");
  return resolved;
}`));
