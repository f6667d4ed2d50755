/**
 * The offline policy check: every policy of the pack over a `pulumi stack export` (version 3)
 * document, through the same analyzer handlers `pulumi preview --policy-pack policies` uses.
 * Resource policies see each resource's inputs (the engine's `Analyze`), stack policies see every
 * resource's outputs (the engine's `AnalyzeStack`).
 */
import type { EnforcementLevel, Policies, Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ruleAppliesTo, ruleContext } from "../lib/define";
import { version as VERSION } from "../package.json";
import { PACK_NAME, policies as packPolicies } from "../rules";
import { resolvePackConfig, type EffectiveConfig } from "./pack-config";
import { PolicyServer, type AnalyzerResourceInput, type Diagnostic } from "./policy-server";
import { parseStackExport, providerUrn, toAnalyzerValue, urnName, type StackExportResource } from "./stack-export";

export { PolicyInputError } from "./errors";
export type { StackExportResource, StackExportV3 } from "./stack-export";

export interface Violation {
  readonly policy: string;
  readonly enforcementLevel: "advisory" | "mandatory";
  readonly urn: string;
  readonly message: string;
}

export interface PolicyReport {
  readonly violations: Violation[];
}

export interface CheckOptions {
  /** Policies to run instead of the pack's (tests). */
  readonly policies?: Policies;
  /**
   * Send each policy only the resource types it reads (default true). The verdict is the same as
   * sending everything, as the pack's tests check; it keeps 20,000-resource stacks fast.
   */
  readonly prefilter?: boolean;
}

function isStackPolicy(p: Policy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

/** The policy with its effective level, and getConfig answering with its pack config (the engine's `Configure` call). */
function configured(p: Policy, cfg: EffectiveConfig): Policy {
  const inject = <A extends { getConfig: () => object }>(args: A): A => {
    args.getConfig = () => ({ ...cfg.properties });
    return args;
  };
  if (isStackPolicy(p)) {
    const stack: StackValidationPolicy = {
      ...p,
      enforcementLevel: cfg.enforcementLevel,
      validateStack: (args, report) => p.validateStack(inject(args), report),
    };
    return stack;
  }
  const rp = p as ResourceValidationPolicy;
  const validations = rp.validateResource === undefined ? [] : Array.isArray(rp.validateResource) ? rp.validateResource : [rp.validateResource];
  return {
    ...rp,
    enforcementLevel: cfg.enforcementLevel,
    validateResource: validations.map((v) => (args, report) => v(inject(args), report)),
  } as ResourceValidationPolicy;
}

function analyzerInput(r: StackExportResource, props: Record<string, unknown> | undefined, providers: Map<string, StackExportResource>): AnalyzerResourceInput {
  const prov = r.provider ? providers.get(providerUrn(r.provider)) : undefined;
  return {
    urn: r.urn,
    type: r.type,
    name: urnName(r.urn),
    properties: toAnalyzerValue(props ?? {}) as Record<string, unknown>,
    parent: r.parent,
    protect: r.protect,
    ignoreChanges: r.ignoreChanges,
    aliases: (r.aliases ?? []).filter((a) => typeof a === "string"),
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
    provider: prov && {
      urn: prov.urn,
      type: prov.type,
      name: urnName(prov.urn),
      properties: toAnalyzerValue(prov.inputs ?? prov.outputs ?? {}) as Record<string, unknown>,
    },
  };
}

function violation(d: Diagnostic): Violation {
  // The server prefixes the policy description to string-form reports; the report keeps the specific part.
  const prefix = `${d.description}\n`;
  return {
    policy: d.policyName,
    enforcementLevel: d.enforcementLevel === "advisory" ? "advisory" : "mandatory",
    urn: d.urn,
    message: d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message,
  };
}

/**
 * Checks a parsed stack export document. Throws PolicyInputError when the document is not a
 * version-3 export or the pack config does not fit a policy's configSchema.
 */
export async function checkStackExport(doc: unknown, packConfig?: unknown, options: CheckOptions = {}): Promise<PolicyReport> {
  const exported = parseStackExport(doc);
  const policies = options.policies ?? packPolicies;
  const prefilter = options.prefilter ?? true;
  const config = resolvePackConfig(packConfig, policies);
  const resources = (exported.deployment.resources ?? []).filter((r) => !r.delete);
  const providers = new Map(resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]));
  const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  const server = new PolicyServer(PACK_NAME, VERSION);

  const active = policies.filter((p) => config.get(p.name)!.enforcementLevel !== "disabled");
  const resourcePolicies = active.filter((p) => !isStackPolicy(p));
  const stackPolicies = active.filter(isStackPolicy);
  const wrapped = new Map<Policy, Policy>(active.map((p) => [p, configured(p, config.get(p.name)!)]));

  const diags: Diagnostic[] = [];
  const forType = new Map<string, Policies>();
  for (const r of resources) {
    let applicable = forType.get(r.type);
    if (!applicable) {
      applicable = resourcePolicies.filter((p) => !prefilter || ruleAppliesTo(p, r.type)).map((p) => wrapped.get(p)!);
      forType.set(r.type, applicable);
    }
    if (applicable.length === 0) continue;
    diags.push(...(await server.analyze(analyzerInput(r, r.inputs, providers), applicable)));
  }

  // Stack policies judge the state after the update: outputs, which include the inputs.
  const stackInputs = new Map<StackExportResource, AnalyzerResourceInput>();
  const stackInput = (r: StackExportResource) => {
    let input = stackInputs.get(r);
    if (!input) {
      input = analyzerInput(r, r.outputs ?? r.inputs, providers);
      stackInputs.set(r, input);
    }
    return input;
  };
  if (prefilter) {
    for (const p of stackPolicies) {
      const applies = new Map<string, boolean>();
      const reads = (type: string) => {
        let hit = applies.get(type);
        if (hit === undefined) applies.set(type, (hit = ruleAppliesTo(p, type)));
        return hit;
      };
      let read = resources.filter((r) => reads(r.type));
      const context = ruleContext(p);
      if (context && !read.some((r) => !context.types(r.type) && context.neededBy(r.type, r.outputs ?? r.inputs ?? {}))) {
        read = read.filter((r) => !context.types(r.type));
      }
      const mine = read.map(stackInput);
      if (mine.length > 0) diags.push(...(await server.analyzeStack(mine, [wrapped.get(p)!], stackUrn)));
    }
  } else if (stackPolicies.length > 0) {
    diags.push(
      ...(await server.analyzeStack(
        resources.map(stackInput),
        stackPolicies.map((p) => wrapped.get(p)!),
        stackUrn,
      )),
    );
  }
  return { violations: diags.map(violation) };
}

/** Whether a report holds a violation that blocks an update. */
export function hasMandatory(report: PolicyReport): boolean {
  return report.violations.some((v) => v.enforcementLevel === "mandatory");
}

export type { EnforcementLevel };
