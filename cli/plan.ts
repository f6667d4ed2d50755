/**
 * Offline plan: validates a stack config, runs the real program (index.ts) under Pulumi mocks,
 * and prints the plan, the resources by type, the monthly cost and the policy verdict.
 *
 *   npm run plan -- --stack <name> [--config-file <path>] [--json] [--export <file>] [--compare]
 *
 * Exit 0: clean. 1: a mandatory policy violation. 2: invalid config or usage (nothing registered).
 * 3: an internal failure of the program itself (printed with its stack).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { specialAssetSig, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { ConfigError } from "../config/errors";
import { encodeRuntimeConfig, parseStackConfig, rawFromStackFile } from "../config/load";
import { estimate } from "../cost/estimate";
import type { CostReport } from "../cost/types";
import { plan as makePlan } from "../sizing/plan";
import type { Plan } from "../sizing/types";
import { capture, type Capture } from "../test/harness";
import type { Violation } from "../policies/engine/check";
import { renderCost, renderPlan, renderPolicy, renderResources } from "./render";
import { comparison, renderComparison } from "./compare";
import { policyVerdict, stackExport } from "./verdict";

const USAGE = "usage: npm run plan -- --stack <name> [--config-file <path>] [--json] [--export <file>] [--compare]";

export class UsageError extends Error {}

export interface PlanOptions {
  readonly stack: string;
  readonly configFile: string;
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
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) throw new UsageError(USAGE);
  const configFile = v["config-file"];
  if (!v.stack && !configFile) throw new UsageError(`one of --stack or --config-file is required\n${USAGE}`);
  const stack = v.stack ?? path.basename(configFile!).replace(/^Pulumi\./, "").replace(/\.ya?ml$/, "");
  return { stack, configFile: configFile ?? `Pulumi.${stack}.yaml`, json: v.json ?? false, exportFile: v.export, compare: v.compare ?? false };
}

export interface PlanResult {
  readonly stack: string;
  readonly platform: string;
  readonly plan: Plan;
  readonly cost: CostReport;
  readonly capture: Capture;
  readonly violations: Violation[];
}

/** Validates, plans, runs the program under mocks and judges it. Throws ConfigError before anything registers. */
export async function runPlan(configFile: string, stack: string): Promise<PlanResult> {
  const raw = rawFromStackFile(configFile);
  const config = parseStackConfig(raw, configFile);
  const plan = makePlan(config);
  // The real entry point, loaded only now that the mocks and config are in place.
  const cap = await capture(() => {
    const entry = require.resolve("../index");
    delete require.cache[entry]; // a second run in the same process must execute the program again
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(entry) as unknown;
  }, { stack, config: encodeRuntimeConfig(raw) });
  return { stack, platform: plan.platform, plan, cost: estimate(plan), capture: cap, violations: await policyVerdict(cap) };
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

export function toJson(r: PlanResult): Record<string, unknown> {
  return {
    stack: r.stack,
    platform: r.platform,
    plan: r.plan,
    cost: { currency: r.cost.currency, monthlyTotal: r.cost.monthlyTotal, onDemandX86Reference: r.cost.onDemandX86Reference, lines: r.cost.lines },
    resources: r.capture.resources.map((x) => ({ urn: x.urn, type: x.type, name: x.name, parent: x.parent ?? null, inputs: redact(x.rawInputs) })),
    policy: { violations: r.violations },
  };
}

export function renderText(r: PlanResult): string {
  return [
    `== plan: ${r.stack}`, renderPlan(r.plan), "",
    "== resources", renderResources(r.capture.resources.map((x) => x.type)), "",
    "== monthly cost", renderCost(r.cost), "",
    "== policy", renderPolicy(r.violations),
  ].join("\n");
}

export async function main(argv: readonly string[]): Promise<number> {
  let opts: PlanOptions;
  try {
    opts = parseCli(argv);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  let result: PlanResult;
  try {
    result = await runPlan(opts.configFile, opts.stack);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (opts.exportFile) writeFileSync(opts.exportFile, `${JSON.stringify(stackExport(result.capture), null, 2)}\n`);
  if (opts.json) {
    const json = toJson(result);
    console.log(JSON.stringify(opts.compare ? { ...json, comparison: comparison(result.plan) } : json, null, 2));
  } else {
    console.log(renderText(result));
    if (opts.compare) console.log(`\n${renderComparison(result.plan)}`);
  }
  return result.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
}

if (require.main === module) {
  // Pulumi walks the full stack of every resource it registers; mapping each frame through
  // tsx's source maps costs more than the whole mock run. Opt back in with --enable-source-maps.
  if (!process.execArgv.includes("--enable-source-maps")) process.setSourceMapsEnabled(false);
  main(process.argv.slice(2)).then(
    // Exit only once stdout has drained: a pipe takes large output asynchronously, and exiting
    // at once would cut the JSON short.
    (code) => process.stdout.write("", () => process.exit(code)),
    (e: unknown) => {
      // Not a config problem: a bug or an unexpected program failure, reported with its stack.
      console.error("internal error:", e);
      process.exit(3);
    },
  );
}
