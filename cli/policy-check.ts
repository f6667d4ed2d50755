/**
 * Offline policy check: runs the pack over a `pulumi stack export` (version 3) document.
 *
 *   npm run policy -- check --file <stack-export.json> [--config <policy-config.json>] [--json]
 *
 * Exit 0: no mandatory violation (advisories allowed). 1: a mandatory violation.
 * 2: usage error, unreadable/non-JSON/wrong-version export, or a pack config that fails a policy's
 * configSchema (the message names the file and key). 3: an internal failure (stack on stderr).
 * Under --json stdout holds exactly one JSON document whatever the outcome
 * (docs/policy-check-output.schema.json), and usage and config errors leave stderr empty.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { PolicyInputError, checkStackExport, hasMandatory, type PolicyReport, type Violation } from "../policies/engine/check";
import { EXIT_CODE, SCHEMA_VERSION, UsageError, errorDocument, runAsProcess, wantsJson } from "./output";

const USAGE = "usage: npm run policy -- check --file <stack-export.json> [--config <policy-config.json>] [--json]";

/** A pack config that fails a policy's configSchema: exit 2, kind `config`. */
class PackConfigError extends Error {}

interface Options {
  readonly file: string;
  readonly config?: string;
  readonly json: boolean;
}

function parseCli(argv: readonly string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { file: { type: "string" }, config: { type: "string" }, json: { type: "boolean", default: false }, help: { type: "boolean", default: false } },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message, USAGE);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError(USAGE);
  if (positionals.length !== 1 || positionals[0] !== "check") throw new UsageError("expected the command `check`", USAGE);
  if (!values.file) throw new UsageError("--file is required", USAGE);
  return { file: values.file, config: values.config, json: values.json ?? false };
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`${what} ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

export function renderViolations(violations: readonly Violation[]): string {
  if (violations.length === 0) return "policy: no violations";
  const lines = violations.map((v) => `[${v.enforcementLevel}] ${v.policy}\n  ${v.urn}\n  ${v.message}`);
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  return `${lines.join("\n\n")}\n\npolicy: ${mandatory} mandatory, ${violations.length - mandatory} advisory`;
}

/** Reports a failure: one JSON document on stdout under --json, else lines on stderr. Returns the exit code. */
function reportFailure(e: unknown, json: boolean, out: (s: string) => void, err: (s: string) => void): number {
  if (e instanceof UsageError) {
    if (json) out(JSON.stringify(errorDocument("usage", e.message), null, 2));
    else err(e.usage ? `error: ${e.message}\n${e.usage}` : e.message === USAGE ? USAGE : `error: ${e.message}`);
    return EXIT_CODE.usage;
  }
  if (e instanceof PackConfigError) {
    if (json) out(JSON.stringify(errorDocument("config", e.message), null, 2));
    else err(`error: ${e.message}`);
    return EXIT_CODE.config;
  }
  const message = e instanceof Error ? e.message : String(e);
  if (json) out(JSON.stringify(errorDocument("internal", message), null, 2));
  err(`internal error: ${e instanceof Error && e.stack ? e.stack : message}`);
  return EXIT_CODE.internal;
}

/** `check` is the pack's offline check; tests replace it to reach outcomes a real export never has. */
export async function main(
  argv: readonly string[],
  out: (s: string) => void = console.log,
  err: (s: string) => void = console.error,
  check: (doc: unknown, packConfig?: unknown) => Promise<PolicyReport> = checkStackExport,
): Promise<number> {
  const json = wantsJson(argv);
  try {
    const opts = parseCli(argv);
    const doc = readJson(opts.file, "stack export");
    const config = opts.config ? readJson(opts.config, "pack config") : undefined;
    let report: PolicyReport;
    try {
      report = await check(doc, config);
    } catch (e) {
      if (e instanceof PolicyInputError) {
        if (e.input === "export") throw new UsageError(`stack export ${opts.file}: ${e.message}`);
        throw new PackConfigError(`pack config ${opts.config ?? ""}: ${e.message}`);
      }
      throw e;
    }
    const code = hasMandatory(report) ? 1 : 0;
    out(
      opts.json
        ? JSON.stringify({ schemaVersion: SCHEMA_VERSION, exitCode: code, violations: report.violations }, null, 2)
        : renderViolations(report.violations),
    );
    return code;
  } catch (e) {
    return reportFailure(e, json, out, err);
  }
}

/** The command as a process. */
export function runCli(argv: readonly string[] = process.argv.slice(2)): void {
  runAsProcess(main, argv);
}

if (require.main === module) runCli();
