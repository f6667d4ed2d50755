/**
 * Pack config in the format `pulumi preview --policy-pack-config` and `pulumi policy enable --config`
 * take: `{ "<policy>": "<level>" | { "enforcementLevel"?: "<level>", ...properties }, "all": "<level>" }`.
 * Properties are validated against each policy's `configSchema`; defaults come from the schema.
 */
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import type AjvClass from "ajv";
import type { ValidateFunction } from "ajv";
import { configDefaults } from "../lib/define";
import { PolicyInputError } from "./errors";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface EffectiveConfig {
  readonly enforcementLevel: EnforcementLevel;
  readonly properties: Record<string, unknown>;
}

function level(v: unknown, key: string): EnforcementLevel {
  if (typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v)) return v as EnforcementLevel;
  throw new PolicyInputError("config", `${key}: enforcement level ${JSON.stringify(v)} is not one of ${ENFORCEMENT_LEVELS.join(", ")}`);
}

// Loaded and compiled only for a policy the pack config sets properties of: the offline CLI's
// start-up on a plain check does not pay for ajv.
let ajv: AjvClass | undefined;
const validators = new WeakMap<object, ValidateFunction>();

function validatorFor(p: Policies[number]): ValidateFunction {
  let v = validators.get(p);
  if (!v) {
    if (!ajv) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, see above
      const Ajv = (require("ajv") as { default: typeof AjvClass }).default;
      ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
    }
    v = ajv.compile({ type: "object", additionalProperties: false, ...p.configSchema });
    validators.set(p, v);
  }
  return v;
}

/** Effective level and properties of every policy of the pack under a pack config (undefined = defaults). */
export function resolvePackConfig(raw: unknown, policies: Policies, packLevel: EnforcementLevel = "mandatory"): Map<string, EffectiveConfig> {
  if (raw !== undefined && (typeof raw !== "object" || raw === null || Array.isArray(raw))) {
    throw new PolicyInputError("config", "the pack config must be a JSON object keyed by policy name");
  }
  const cfg = (raw ?? {}) as Record<string, unknown>;
  const names = new Set(policies.map((p) => p.name));
  for (const key of Object.keys(cfg)) {
    if (key !== "all" && !names.has(key)) throw new PolicyInputError("config", `${key}: no policy of this name in the pack (known: ${[...names].join(", ")})`);
  }
  let allLevel: EnforcementLevel | undefined;
  if (cfg.all !== undefined) {
    const all = cfg.all;
    allLevel = typeof all === "object" && all !== null ? level((all as Record<string, unknown>).enforcementLevel, "all.enforcementLevel") : level(all, "all");
  }
  const out = new Map<string, EffectiveConfig>();
  for (const p of policies) {
    const entry = cfg[p.name];
    let enforcementLevel = allLevel ?? p.enforcementLevel ?? packLevel;
    let properties: Record<string, unknown> = {};
    if (typeof entry === "string") {
      enforcementLevel = level(entry, p.name);
    } else if (entry !== undefined) {
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
        throw new PolicyInputError("config", `${p.name}: expected an enforcement level or an object of properties`);
      }
      const { enforcementLevel: el, ...rest } = entry as Record<string, unknown>;
      if (el !== undefined) enforcementLevel = level(el, `${p.name}.enforcementLevel`);
      properties = rest;
    }
    if (!p.configSchema && Object.keys(properties).length > 0) {
      throw new PolicyInputError("config", `${p.name}.${Object.keys(properties)[0]}: this policy takes no configuration`);
    }
    if (p.configSchema && Object.keys(properties).length === 0 && !p.configSchema.required?.length) {
      // Nothing to validate: the schema's (top-level) defaults are what ajv's useDefaults would fill in.
      properties = structuredClone(configDefaults(p.configSchema));
    } else if (p.configSchema) {
      properties = structuredClone(properties);
      const validate = validatorFor(p);
      if (!validate(properties)) {
        const problems = (validate.errors ?? []).map((e) => {
          const path = e.instancePath.replace(/^\//, "").replace(/\//g, ".");
          const extra = e.params as { additionalProperty?: string; missingProperty?: string };
          const key = [p.name, path, extra.additionalProperty ?? extra.missingProperty].filter(Boolean).join(".");
          return `${key}: ${extra.additionalProperty ? "is not a setting of this policy" : e.message}`;
        });
        throw new PolicyInputError("config", problems.join("; "));
      }
    }
    out.set(p.name, { enforcementLevel, properties });
  }
  return out;
}
