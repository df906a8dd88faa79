import { existsSync } from "node:fs";
import { join } from "node:path";

/** Where the third-party corpus lives: $HINDSIGHT_CORPUS, or ../shared/corpus beside the project. */
export const CORPUS = process.env.HINDSIGHT_CORPUS ?? join(process.cwd(), "..", "shared", "corpus");

/** undefined when the corpus is present, else the reason to skip (node:test's `skip` option). */
export function corpusMissing(): string | undefined {
  return existsSync(CORPUS) ? undefined : `corpus not found at ${CORPUS} (set HINDSIGHT_CORPUS): skipped`;
}

export function corpusPath(...parts: string[]): string {
  return join(CORPUS, ...parts);
}
