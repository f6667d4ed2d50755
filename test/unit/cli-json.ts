/**
 * The `--json` contract of the command-line tools, for the tests: stdout must be exactly one JSON
 * document (JSON.parse refuses anything before or after it) that validates against the documented
 * schema in docs/.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { expect } from "vitest";

const docs = path.join(__dirname, "..", "..", "docs");
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
const validators = new Map<string, ValidateFunction>();

function validator(schema: "plan-output" | "policy-check-output"): ValidateFunction {
  let v = validators.get(schema);
  if (!v) {
    v = ajv.compile(JSON.parse(readFileSync(path.join(docs, `${schema}.schema.json`), "utf8")) as object);
    validators.set(schema, v);
  }
  return v;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read the document freely once it validates
type Doc = any;

function parseOne(stdout: string, schema: "plan-output" | "policy-check-output"): Doc {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch (e) {
    throw new Error(`stdout is not exactly one JSON document (${(e as Error).message}):\n${stdout.slice(0, 400)}`);
  }
  const validate = validator(schema);
  expect(validate(doc), ajv.errorsText(validate.errors, { separator: "\n" })).toBe(true);
  return doc;
}

/** stdout of `plan --json`: one document, valid against docs/plan-output.schema.json. */
export const planJson = (stdout: string): Doc => parseOne(stdout, "plan-output");

/** stdout of `policy -- check --json`: one document, valid against docs/policy-check-output.schema.json. */
export const policyJson = (stdout: string): Doc => parseOne(stdout, "policy-check-output");
