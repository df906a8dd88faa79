// `node --import ./module-log.mjs`: appends every module the process resolves to $MODULE_LOG,
// through import (a resolve hook) and through require (which also loads ES modules).
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";
import { pathToFileURL } from "node:url";

const log = process.env.MODULE_LOG ?? "/dev/null";
register("data:text/javascript," + encodeURIComponent(`
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, resolved.url + "\\n");
  return resolved;
}`));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const path = resolveFilename.apply(this, args);
  if (path.startsWith("/")) appendFileSync(log, pathToFileURL(path).href + "\n");
  return path;
};
