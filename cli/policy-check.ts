/**
 * Offline policy check: runs the pack over a `pulumi stack export` (version 3) document.
 *
 *   npm run policy -- check --file <stack-export.json> [--config <policy-config.json>] [--json]
 *
 * Exit 0: no mandatory violation (advisories allowed). 1: a mandatory violation.
 * 2: usage error, unreadable/non-JSON/wrong-version export, or a pack config that fails a policy's
 * configSchema (the message names the file and key). 3: an internal failure.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { PolicyInputError, checkStackExport, hasMandatory, type Violation } from "../policies/engine/check";

const USAGE = "usage: npm run policy -- check --file <stack-export.json> [--config <policy-config.json>] [--json]";

class UsageError extends Error {}

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
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError(USAGE);
  if (positionals.length !== 1 || positionals[0] !== "check") throw new UsageError(`expected the command \`check\`\n${USAGE}`);
  if (!values.file) throw new UsageError(`--file is required\n${USAGE}`);
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

export async function main(argv: readonly string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  try {
    const opts = parseCli(argv);
    const doc = readJson(opts.file, "stack export");
    const config = opts.config ? readJson(opts.config, "pack config") : undefined;
    let report;
    try {
      report = await checkStackExport(doc, config);
    } catch (e) {
      if (e instanceof PolicyInputError) {
        throw new UsageError(e.input === "export" ? `stack export ${opts.file}: ${e.message}` : `pack config ${opts.config ?? ""}: ${e.message}`);
      }
      throw e;
    }
    out(opts.json ? JSON.stringify({ violations: report.violations }, null, 2) : renderViolations(report.violations));
    return hasMandatory(report) ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // Exit only once stdout has drained, so a large report through a pipe is not cut short.
    (code) => process.stdout.write("", () => process.exit(code)),
    (e: unknown) => {
      console.error("internal error:", e);
      process.exit(3);
    },
  );
}
