import { InputError, UsageError } from "../history/errors.ts";
import { readHead } from "./lines.ts";
import { ednParser } from "./edn.ts";
import { jepsenLogParser } from "./jepsen-log.ts";
import { jsonArrayParser } from "./json-array.ts";
import { ndjsonParser } from "./ndjson.ts";
import { setApp2013Parser } from "./set-app-2013.ts";
import type { Parser } from "./parser.ts";

/** Every input format, in the order auto-detection tries them. */
export const PARSERS: readonly Parser[] = [ndjsonParser, jsonArrayParser, ednParser, jepsenLogParser, setApp2013Parser];

export function parserNamed(name: string): Parser {
  const parser = PARSERS.find((p) => p.name === name);
  if (!parser) throw new UsageError(`unknown format "${name}"; expected one of: auto, ${PARSERS.map((p) => p.name).join(", ")}`);
  return parser;
}

/** Picks the parser for a file from its first bytes; an InputError (naming it `file`) lists why each format was ruled out. */
export async function detectFormat(path: string, file = path): Promise<Parser> {
  const head = await readHead(path);
  if (head.trim().length === 0) throw new InputError({ file, line: 1 }, "the file is empty: expected a history (one op per line)");
  const reasons: string[] = [];
  for (const parser of PARSERS) {
    const verdict = parser.sniff(head);
    if (verdict === true) return parser;
    reasons.push(`${parser.name}: ${verdict}`);
  }
  throw new InputError({ file, line: 1 }, `unrecognised format; tried ${reasons.join("; ")}. Use --format to choose one.`);
}
