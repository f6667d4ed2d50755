/**
 * How every policy in this pack is declared. The wrapper gives each policy the same habits:
 * config defaults come from its `configSchema`, every message ends with a `Fix:` hint, a value the
 * engine does not know yet (preview, or an encrypted export) or an odd-typed input becomes an
 * advisory "cannot verify" message instead of a crash or a silent pass.
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { UnknownValueError } from "../engine/sdk-policy";
import { OddInputError } from "./values";

// The policy server's proxy throws UnknownValueError when a policy reads a value unknown during
// preview. It is internal to @pulumi/policy, so it comes through the shim (engine/sdk-policy.ts).

export function isUnknownValue(e: unknown): boolean {
  return e instanceof UnknownValueError;
}

/** Fix hint used when a value cannot be read yet. */
export const FIX_UNKNOWN = "re-run the check once the value is known (after `pulumi up`, or with `pulumi stack export --show-secrets`).";
const FIX_ODD = "give the input the type the provider documents.";

export interface Reporter {
  /** A violation at the policy's enforcement level. */
  violation(problem: string, fix: string, urn?: string): void;
  /** An advisory: the policy could not decide, and says why and what would let it. */
  cannotVerify(what: string, reason: string, fix: string, urn?: string): void;
  /** A finding that is advisory whatever the policy's level (the policy is mandatory only in some cases). */
  advisory(problem: string, fix: string, urn?: string): void;
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

export function message(problem: string, fix: string): string {
  return `${sentence(problem)} Fix: ${sentence(fix)}`;
}

// The policy server accepts an object form of reportViolation that carries its own enforcement
// level (server.ts makeReportViolationFun); the public type only lists the string form.
type ObjectReport = (info: { message: string; urn?: string; enforcementLevel: EnforcementLevel }) => void;

function reporter(description: string, report: ReportViolation): Reporter {
  const advise = (text: string, urn: string | undefined) =>
    (report as unknown as ObjectReport)({ message: `${description}\n${text}`, urn, enforcementLevel: "advisory" });
  return {
    violation: (problem, fix, urn) => report(message(problem, fix), urn),
    cannotVerify: (what, reason, fix, urn) => advise(message(`Cannot verify ${what}: ${reason}`, fix), urn),
    advisory: (problem, fix, urn) => advise(message(problem, fix), urn),
  };
}

/** Runs one check and turns unknown or odd inputs into an advisory about `what`. */
export function guarded(report: Reporter, what: string, urn: string | undefined, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (isUnknownValue(e)) report.cannotVerify(what, (e as Error).message, FIX_UNKNOWN, urn);
    else if (e instanceof OddInputError) report.cannotVerify(what, e.message, FIX_ODD, urn);
    else report.cannotVerify(what, `its inputs could not be read (${(e as Error).message})`, FIX_ODD, urn);
  }
}

export type TypeFilter = (type: string) => boolean;

export function ofTypes(...types: string[]): TypeFilter {
  const set = new Set(types);
  return (t) => set.has(t);
}

/**
 * Types a stack policy reads only to judge some of its resources: the offline check sends them only
 * when a resource of the policy's own types (as the export holds it) says it needs them, so large
 * stacks do not pay for context no judgement uses. `neededBy` must answer true when unsure.
 */
export interface RuleContext {
  readonly types: TypeFilter;
  readonly neededBy: (type: string, props: Record<string, unknown>) => boolean;
}

interface RuleMeta {
  readonly appliesTo: TypeFilter;
  readonly context?: RuleContext;
}
const META = new WeakMap<object, RuleMeta>();

/** Whether a policy reads resources of this type (the offline check skips the rest, as the server does for typed policies). */
export function ruleAppliesTo(policy: object, type: string): boolean {
  const meta = META.get(policy);
  return meta ? meta.appliesTo(type) || (meta.context?.types(type) ?? false) : true;
}

/** The context types of a stack policy, if it declares any. */
export function ruleContext(policy: object): RuleContext | undefined {
  return META.get(policy)?.context;
}

/** Key of Pulumi's special values (secrets, unknowns, resource references) in exported state. */
const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Whether exported values hold one of these strings, or a value the check cannot see through (a secret, an unknown). */
export function mayHold(props: Record<string, unknown>, ...needles: string[]): boolean {
  const text = JSON.stringify(props);
  return text.includes(SPECIAL_SIG_KEY) || needles.some((n) => text.includes(n));
}

interface CommonSpec {
  /** Verb-first kebab-case name: `require-`, `disallow-` or `limit-`. */
  readonly name: string;
  /** One full sentence that says what the policy checks. */
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  /** What to change when it fires; also shown by Pulumi Cloud. */
  readonly remediationSteps: string;
  readonly configSchema?: PolicyConfigSchema;
  /** Types the policy reads. */
  readonly appliesTo: TypeFilter;
}

/** Defaults declared in a config schema, so the schema is the only place a default lives. */
export function configDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema?.properties ?? {})) {
    if (v && typeof v === "object" && "default" in v) out[k] = (v as { default: unknown }).default;
  }
  return out;
}

function readConfig<C>(schema: PolicyConfigSchema | undefined, args: { getConfig<T extends object>(): T }): C {
  return { ...configDefaults(schema), ...args.getConfig<Record<string, unknown>>() } as C;
}

export interface ResourceRuleSpec<C> extends CommonSpec {
  readonly validate: (resource: ResourceValidationArgs, report: Reporter, config: C) => void;
}

export function resourceRule<C extends object>(spec: ResourceRuleSpec<C>): ResourceValidationPolicy {
  const { validate, appliesTo, ...policy } = spec;
  const rule: ResourceValidationPolicy = {
    ...policy,
    validateResource: (args, report) => {
      if (!appliesTo(args.type)) return;
      const r = reporter(spec.description, report);
      guarded(r, `${args.type} "${args.name}"`, undefined, () => validate(args, r, readConfig<C>(spec.configSchema, args)));
    },
  };
  META.set(rule, { appliesTo });
  return rule;
}

export interface StackRuleSpec<C> extends CommonSpec {
  /** Types read only when some resource of `appliesTo` needs them (see RuleContext). */
  readonly context?: RuleContext;
  readonly validate: (stack: StackValidationArgs, report: Reporter, config: C) => void;
}

export function stackRule<C extends object>(spec: StackRuleSpec<C>): StackValidationPolicy {
  const { validate, appliesTo, context, ...policy } = spec;
  const rule: StackValidationPolicy = {
    ...policy,
    validateStack: (args, report) => {
      const r = reporter(spec.description, report);
      guarded(r, "the stack", undefined, () => validate(args, r, readConfig<C>(spec.configSchema, args)));
    },
  };
  META.set(rule, { appliesTo, context });
  return rule;
}

/** Short label for messages: `aws:s3/bucket:Bucket "files"`. */
export function label(r: Pick<PolicyResource, "type" | "name">): string {
  return `${r.type} "${r.name}"`;
}
