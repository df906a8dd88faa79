import { readFileSync } from "node:fs";
import AjvModule from "ajv";
import type { ErrorObject } from "ajv";

// ajv ships CommonJS; under NodeNext its default export is the module namespace.
const Ajv = AjvModule.default ?? AjvModule;

export const HISTORY_SCHEMA_PATH = new URL("../../schema/history.schema.json", import.meta.url);

const schema: object = JSON.parse(readFileSync(HISTORY_SCHEMA_PATH, "utf8"));
const validate = new Ajv({ allErrors: false, strict: true }).compile(schema);

/** Checks one record against schema/history.schema.json; returns what is wrong, or undefined. */
export function schemaError(record: unknown): string | undefined {
  if (validate(record)) return undefined;
  return describe(validate.errors?.[0]);
}

function describe(error: ErrorObject | null | undefined): string {
  if (!error) return "does not match the history schema";
  const field = error.instancePath ? `field ${error.instancePath.slice(1).replaceAll("/", ".")}` : "record";
  switch (error.keyword) {
    case "required":
      return `missing field "${(error.params as { missingProperty: string }).missingProperty}" (every record needs type, f and process)`;
    case "enum":
      return `${field} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    case "oneOf":
      return `${field} must be an integer (client) or a non-empty string (e.g. "nemesis")`;
    case "type":
      return `${field} must be ${error.params && (error.params as { type: string }).type === "object" ? "a JSON object" : `of type ${(error.params as { type: string }).type}`}`;
    default:
      return `${field} ${error.message ?? "is invalid"}`;
  }
}
