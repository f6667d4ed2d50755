/**
 * Offline plan: validates a stack config, runs the real program (index.ts) under Pulumi mocks,
 * and prints the plan, the resources by type, the monthly cost, the policy verdict and the
 * runtime contract check (contract/check: every edge of the release line exists, nothing more).
 *
 *   npm run -s plan -- --stack <name> [--config-file <path>] [--json] [--export <file>] [--compare]
 *
 * Exit 0: clean. 1: a mandatory policy violation, or a broken or exceeded runtime contract.
 * 2: invalid config or usage, including a config file that cannot be read or an export path that
 * cannot be written (checked before the run; nothing registered).
 * 3: an internal failure of the program itself (printed with its stack on stderr).
 * Under --json every outcome, failures included, is one JSON document on stdout
 * (docs/plan-output.schema.json).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { specialAssetSig, specialSecretSig, specialSigKey } from "../offline/sdk/pulumi";
import { ConfigError } from "../config/errors";
import { type ContractCheck, checkContract, contractSummary, renderContractCheck } from "../contract/check";
import { parseAnyStackConfig, rawFromStackFile, runtimeConfigFromStackFile } from "../config/load";
import { isProfileConfig } from "../config/profile-schema";
import { type ProfileContractCheck, checkProfileContract, renderProfileContractCheck } from "../contract/check/profile";
import { estimate } from "../cost/estimate";
import { estimateProfile } from "../cost/profile";
import type { CostReport } from "../cost/types";
import { plan as makePlan } from "../sizing/plan";
import { planProfile } from "../sizing/profile";
import type { WorkloadPlan } from "../sizing/profile-types";
import type { Plan } from "../sizing/types";
import { capture, type Capture } from "../offline/capture";
import type { Violation } from "../policies/engine/check";
import { renderCost, renderPlan, renderPolicy, renderResources } from "./render";
import { renderProfileCost, renderProfilePlan } from "./render-profile";
import { comparison, renderComparison } from "./compare";
import {
  EXIT_CODE,
  type Io,
  SCHEMA_VERSION,
  UsageError,
  checkReadableFile,
  checkWritableFile,
  errorDocument,
  processIo,
  runAsProcess,
  wantsJson,
} from "./output";
import { withProgramLog } from "./program-log";
import { policyVerdict, stackExport } from "./verdict";
import { wrapText } from "./wrap";

export { UsageError } from "./output";

const USAGE = "usage: npm run -s plan -- --stack <name> [--config-file <path>] [--json] [--export <file>] [--compare]";

/** The project file whose config defaults `pulumi up` gives the program; this repository's, wherever the command runs. */
const PROJECT_FILE = path.join(__dirname, "..", "Pulumi.yaml");

export interface PlanOptions {
  readonly stack: string;
  readonly configFile: string;
  /** True when the config file was named by --config-file, false when --stack implied Pulumi.<stack>.yaml. */
  readonly configFileGiven: boolean;
  readonly json: boolean;
  readonly exportFile?: string;
  readonly compare: boolean;
}

export function parseCli(argv: readonly string[]): PlanOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        "config-file": { type: "string" },
        json: { type: "boolean", default: false },
        export: { type: "string" },
        compare: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw new UsageError((e as Error).message, USAGE);
  }
  const v = parsed.values;
  if (v.help) throw new UsageError(USAGE);
  const configFile = v["config-file"];
  if (!v.stack && !configFile) throw new UsageError("one of --stack or --config-file is required", USAGE);
  const stack =
    v.stack ??
    path
      .basename(configFile!)
      .replace(/^Pulumi\./, "")
      .replace(/\.ya?ml$/, "");
  return {
    stack,
    configFile: configFile ?? `Pulumi.${stack}.yaml`,
    configFileGiven: configFile !== undefined,
    json: v.json ?? false,
    exportFile: v.export,
    compare: v.compare ?? false,
  };
}

/** The paths on the command line, checked before the run: a typo fails in a second with one line. */
export function checkPaths(opts: PlanOptions): void {
  checkReadableFile(opts.configFile, "config file", opts.configFileGiven ? undefined : `from --stack ${opts.stack}`);
  if (opts.exportFile !== undefined) checkWritableFile(opts.exportFile, "export file");
}

/** The run of an ActivePieces stack. */
export interface ActivePiecesPlanResult {
  readonly kind?: undefined;
  readonly stack: string;
  readonly platform: string;
  readonly plan: Plan;
  readonly cost: CostReport;
  readonly capture: Capture;
  readonly violations: Violation[];
  readonly contractCheck: ContractCheck;
}

/** The run of a workload profile stack (a service that is not ActivePieces): its own plan, cost and contract. */
export interface ProfilePlanResult {
  readonly kind: "profile";
  readonly stack: string;
  readonly platform: string;
  readonly plan: WorkloadPlan;
  readonly cost: ReturnType<typeof estimateProfile>;
  readonly capture: Capture;
  readonly violations: Violation[];
  readonly contractCheck: ProfileContractCheck;
}

export type PlanResult = ActivePiecesPlanResult | ProfilePlanResult;

/**
 * Validates, plans, runs the program under mocks and judges it. Throws ConfigError before anything
 * registers. The program gets what `pulumi up` would pass it for the stack file (every namespaced
 * key, `aws:region` included, plus the project file's defaults). What the program logs goes to
 * `log` (stderr), except its copies of the plan's warnings, which the plan prints itself.
 */
export async function runPlan(configFile: string, stack: string, log: (line: string) => void = processIo.err): Promise<PlanResult> {
  const raw = rawFromStackFile(configFile);
  const config = parseAnyStackConfig(raw, configFile);
  // Both plans are made (and a bad config refused) before anything registers.
  const plan = isProfileConfig(config) ? planProfile(config) : makePlan(config);
  const runtimeConfig = runtimeConfigFromStackFile(configFile, PROJECT_FILE);
  // The real entry point, loaded only now that the mocks and config are in place.
  const cap = await withProgramLog(plan.warnings, log, () =>
    capture(
      () => {
        const entry = require.resolve("../index");
        delete require.cache[entry]; // a second run in the same process must execute the program again
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(entry) as unknown;
      },
      { stack, config: runtimeConfig },
    ),
  );
  if ("kind" in plan)
    return {
      kind: "profile",
      stack,
      platform: plan.platform,
      plan,
      cost: estimateProfile(plan),
      capture: cap,
      violations: await policyVerdict(cap),
      contractCheck: await checkProfileContract(plan, cap.resources),
    };
  return {
    stack,
    platform: plan.platform,
    plan,
    cost: estimate(plan),
    capture: cap,
    violations: await policyVerdict(cap),
    contractCheck: await checkContract(plan, cap.resources),
  };
}

/** 1 when a mandatory violation or the runtime contract fails the plan: the stack would not run as the release expects. */
export function exitCodeOf(r: PlanResult): number {
  return r.violations.some((v) => v.enforcementLevel === "mandatory") || !r.contractCheck.ok ? 1 : 0;
}

/**
 * Secret envelopes are shown as a marker, never as their value; the text of an inline asset (the
 * bundled Lambda) as its size. `--export` keeps both whole.
 */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o[specialSigKey] === specialSecretSig) return "[secret]";
    if (o[specialSigKey] === specialAssetSig && typeof o.text === "string") {
      return { ...o, text: `[${Buffer.byteLength(o.text)} bytes]` };
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, redact(v)]));
  }
  return value;
}

/** The `--json` document of a run (docs/plan-output.schema.json). */
export function toJson(r: PlanResult): Record<string, unknown> {
  const resources = r.capture.resources.map((x) => ({
    urn: x.urn,
    type: x.type,
    name: x.name,
    parent: x.parent ?? null,
    inputs: redact(x.rawInputs),
    options: x.options,
  }));
  if (r.kind === "profile")
    return {
      schemaVersion: SCHEMA_VERSION,
      exitCode: exitCodeOf(r),
      stack: r.stack,
      platform: r.platform,
      profile: r.plan.profile,
      plan: r.plan,
      cost: r.cost,
      resources,
      policy: { violations: r.violations },
      contract: { profile: r.plan.profile, roles: r.plan.roles.map((x) => x.name) },
      contractCheck: r.contractCheck,
    };
  return {
    schemaVersion: SCHEMA_VERSION,
    exitCode: exitCodeOf(r),
    stack: r.stack,
    platform: r.platform,
    plan: r.plan,
    cost: r.cost,
    resources: r.capture.resources.map((x) => ({
      urn: x.urn,
      type: x.type,
      name: x.name,
      parent: x.parent ?? null,
      inputs: redact(x.rawInputs),
      options: x.options,
    })),
    policy: { violations: r.violations },
    contract: contractSummary(r.plan.release.contract),
    contractCheck: r.contractCheck,
  };
}

export function renderText(r: PlanResult): string {
  // The same sections for both kinds of plan; only what fills them differs.
  const [plan, cost, contract] =
    r.kind === "profile"
      ? [renderProfilePlan(r.plan), renderProfileCost(r.cost), renderProfileContractCheck(r.plan, r.contractCheck)]
      : [renderPlan(r.plan), renderCost(r.cost), renderContractCheck(r.plan.release.contract, r.contractCheck)];
  return [
    `== plan: ${r.stack}`,
    plan,
    "",
    "== resources",
    renderResources(r.capture.resources.map((x) => x.type)),
    "",
    "== monthly cost",
    cost,
    "",
    "== policy",
    renderPolicy(r.violations),
    "",
    "== runtime contract",
    wrapText(contract),
  ].join("\n");
}

/** Reports a failure: one JSON document on stdout under --json, else lines on stderr. Returns the exit code. */
function reportFailure(e: unknown, json: boolean, io: Io): number {
  if (e instanceof UsageError) {
    if (json) io.out(JSON.stringify(errorDocument("usage", e.message), null, 2));
    else io.err(e.usage ? `error: ${e.message}\n${e.usage}` : e.message === USAGE ? USAGE : `error: ${e.message}`);
    return EXIT_CODE.usage;
  }
  if (e instanceof ConfigError) {
    if (json) io.out(JSON.stringify(errorDocument("config", `invalid config in ${e.source}`, e.problems), null, 2));
    else io.err(`error: ${e.message}`);
    return EXIT_CODE.config;
  }
  // Not a config problem: a bug or an unexpected program failure, reported with its stack.
  const message = e instanceof Error ? e.message : String(e);
  if (json) io.out(JSON.stringify(errorDocument("internal", message), null, 2));
  io.err(`internal error: ${e instanceof Error && e.stack ? e.stack : message}`);
  return EXIT_CODE.internal;
}

export interface PlanDeps {
  /** The run itself; tests replace it to reach outcomes a shipped stack never has. */
  readonly run?: typeof runPlan;
}

export async function main(argv: readonly string[], io: Io = processIo, deps: PlanDeps = {}): Promise<number> {
  const json = wantsJson(argv);
  try {
    const opts = parseCli(argv);
    checkPaths(opts);
    const result = await (deps.run ?? runPlan)(opts.configFile, opts.stack, (line) => io.err(line));
    if (opts.compare && result.kind === "profile") throw new UsageError("--compare prices ActivePieces stacks only; plan a profile once per platform instead");
    if (opts.exportFile) writeFileSync(opts.exportFile, `${JSON.stringify(stackExport(result.capture), null, 2)}\n`);
    if (opts.json) {
      const doc = toJson(result);
      io.out(JSON.stringify(opts.compare && result.kind !== "profile" ? { ...doc, comparison: comparison(result.plan) } : doc, null, 2));
    } else {
      io.out(renderText(result));
      if (opts.compare && result.kind !== "profile") io.out(`\n${renderComparison(result.plan)}`);
    }
    return exitCodeOf(result);
  } catch (e) {
    return reportFailure(e, json, io);
  }
}

/** The command as a process; `bin/activepieces-plan.js` calls this too. */
export function runCli(argv: readonly string[] = process.argv.slice(2)): void {
  // Pulumi walks the full stack of every resource it registers; mapping each frame through
  // tsx's source maps costs more than the whole mock run. Opt back in with --enable-source-maps.
  if (!process.execArgv.includes("--enable-source-maps")) process.setSourceMapsEnabled(false);
  runAsProcess(main, argv);
}

if (require.main === module) runCli();
