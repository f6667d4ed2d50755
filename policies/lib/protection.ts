/**
 * Whether a resource belongs to a protected environment, read from what the stack declares rather
 * than from its name: an environment tag on the resource (`tags`, then `tagsAll`, which holds the
 * provider's default tags in a stack export), its provider's `defaultTags`, or for Kubernetes
 * resources an environment label. Pack config can override: `protected: true|false`.
 * The rules that depend on it (deletion protection, Multi-AZ, failover, ALB access logs) spread
 * PROTECTION_SCHEMA into their configSchema, so each takes the same keys.
 */
import type { PolicyConfigSchema, PolicyProviderResource, PolicyResource } from "@pulumi/policy";
import { isUnknownValue } from "./define";
import { OddInputError, globMatch, type Props } from "./values";

export interface ProtectionConfig {
  protectedEnvironments: string[];
  environmentTagKeys: string[];
  protected: "auto" | boolean;
}

export const DEFAULT_PROTECTED_ENVIRONMENTS = ["prod", "production"];
export const DEFAULT_ENVIRONMENT_TAG_KEYS = ["environment", "env", "stage"];

export const PROTECTION_SCHEMA: NonNullable<PolicyConfigSchema["properties"]> = {
  protectedEnvironments: {
    type: "array",
    items: { type: "string" },
    default: DEFAULT_PROTECTED_ENVIRONMENTS,
    description: "Environment tag values (case-insensitive, `*` wildcards allowed) that make a resource protected.",
  },
  environmentTagKeys: {
    type: "array",
    items: { type: "string" },
    default: DEFAULT_ENVIRONMENT_TAG_KEYS,
    description: "Tag and Kubernetes label keys (case-insensitive) that name a resource's environment.",
  },
  protected: {
    enum: ["auto", true, false],
    default: "auto",
    description: "`true` or `false` judges every resource as protected or not whatever its tags; `auto` reads the environment tag.",
  },
};

export interface Environment {
  readonly value: string;
  /** Where it was read, for messages: `its \`tags\``, `the default tags of its provider "aws"`. */
  readonly from: string;
}

export interface Protection {
  readonly protected: boolean;
  /** Why, for messages: `its environment tag is "prod" (from its provider "aws" default tags)`. */
  readonly reason: string;
}

/** Reads a value, treating one that is unknown (preview) or odd as absent. */
function safe<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch (e) {
    if (isUnknownValue(e) || e instanceof OddInputError) return undefined;
    throw e;
  }
}

function asObject(v: unknown): Props | undefined {
  if (typeof v === "string" && v.startsWith("{")) {
    // Provider inputs are stored as JSON text in the state (`defaultTags: "{\"tags\":{...}}"`).
    try {
      return asObject(JSON.parse(v));
    } catch {
      return undefined;
    }
  }
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Props) : undefined;
}

function tagValue(tags: unknown, keys: readonly string[]): string | undefined {
  const map = asObject(tags);
  if (!map) return undefined;
  const wanted = keys.map((k) => k.toLowerCase());
  for (const key of wanted) {
    for (const k of Object.keys(map)) {
      if (k.toLowerCase() !== key) continue;
      const v = safe(() => map[k]);
      if (typeof v === "string" && v !== "") return v;
    }
  }
  return undefined;
}

function providerEnvironment(provider: PolicyProviderResource | undefined, keys: readonly string[]): Environment | undefined {
  if (!provider) return undefined;
  const defaults = safe((): unknown => provider.props.defaultTags);
  const list = Array.isArray(defaults) ? defaults : [defaults];
  for (const d of list) {
    const value = tagValue(
      safe(() => asObject(d)?.tags),
      keys,
    );
    if (value) return { value, from: `the default tags of its provider "${provider.name}"` };
  }
  return undefined;
}

/** The environment a resource declares, or undefined when it declares none. */
export function environmentOf(
  r: { props: Props; provider?: PolicyProviderResource },
  keys: readonly string[] = DEFAULT_ENVIRONMENT_TAG_KEYS,
): Environment | undefined {
  for (const field of ["tags", "tagsAll"]) {
    const value = tagValue(
      safe(() => r.props[field]),
      keys,
    );
    if (value) return { value, from: `its \`${field}\`` };
  }
  const labels = safe(() => asObject(asObject(r.props.metadata)?.labels));
  const label = tagValue(labels, keys);
  if (label) return { value: label, from: "its label" };
  return providerEnvironment(r.provider, keys);
}

export function isProtectedEnvironment(value: string, cfg: Pick<ProtectionConfig, "protectedEnvironments">): boolean {
  return cfg.protectedEnvironments.some((p) => globMatch(p.toLowerCase(), value.toLowerCase()));
}

/**
 * Whether a resource is protected. `fallback` is the environment of what it runs on, for resources
 * that carry no tags of their own (a Kubernetes Ingress judged by its EKS cluster).
 */
export function protectionOf(r: { props: Props; provider?: PolicyProviderResource }, cfg: ProtectionConfig, fallback?: Environment): Protection {
  if (cfg.protected === true) return { protected: true, reason: "the pack config sets `protected: true`" };
  if (cfg.protected === false) return { protected: false, reason: "the pack config sets `protected: false`" };
  const env = environmentOf(r, cfg.environmentTagKeys) ?? fallback;
  if (!env) return { protected: false, reason: "it declares no environment tag" };
  return {
    protected: isProtectedEnvironment(env.value, cfg),
    reason: `its environment is "${env.value}" (from ${env.from})`,
  };
}

/** A protected environment declared by any of these resources, else any declared one. */
export function stackEnvironment(resources: readonly PolicyResource[], cfg: ProtectionConfig): Environment | undefined {
  let first: Environment | undefined;
  for (const r of resources) {
    const env = environmentOf(r, cfg.environmentTagKeys);
    if (!env) continue;
    const named = { value: env.value, from: `${r.type} "${r.name}", ${env.from}` };
    if (isProtectedEnvironment(env.value, cfg)) return named;
    first ??= named;
  }
  return first;
}
