import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { StackConfigSchema } from "./schema";
import { resolveDefaults, type StackConfig } from "./defaults";
import { ConfigError, problemsFromZod } from "./errors";
import { PROJECT, decodeNamespacedConfig, decodeTopLevel, engineConfig } from "./decode";
import { hasProfile, parseProfileStackConfig, type ProfileStackConfig } from "./profile-schema";

export { PROJECT, engineConfig } from "./decode";

/** Any stack's config: ActivePieces (no `profile` key) or a workload profile (isProfileConfig tells them apart). */
export type AnyStackConfig = StackConfig | ProfileStackConfig;

/**
 * Validates raw config (keys without namespace) of any stack and applies every default: a stack that
 * sets `profile` decodes to a ProfileStackConfig, any other to the ActivePieces StackConfig.
 * `pulumi up` (config/pulumi.ts) and the offline plan decode through this one function.
 */
export function parseAnyStackConfig(raw: unknown, source: string): AnyStackConfig {
  return hasProfile(raw) ? parseProfileStackConfig(raw as Record<string, unknown>, source) : parseStackConfig(raw, source);
}

/**
 * Validates raw config of an ActivePieces stack (keys without namespace) and applies every default.
 * Throws ConfigError listing all problems; a stack that sets `profile` is refused here (parseAnyStackConfig reads it).
 */
export function parseStackConfig(raw: unknown, source: string): StackConfig {
  if (hasProfile(raw)) {
    throw new ConfigError(
      [{ key: "profile", value: "(set)", message: "makes this a workload profile stack, which is planned with planProfile, not plan" }],
      source,
    );
  }
  const result = StackConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(problemsFromZod(result.error, raw), source);
  return resolveDefaults(result.data);
}

/**
 * Turns namespaced Pulumi config (`activepieces-aws:key` -> value) into our raw object, decoding
 * top-level values the way both `pulumi up` and the offline plan do (config/decode.ts).
 * `aws:region`, when set, must agree with `region`.
 */
export function rawFromNamespaced(entries: Record<string, unknown>, source: string): Record<string, unknown> {
  return decodeNamespacedConfig(entries, source);
}

/** The `config:` map of a Pulumi.<stack>.yaml (or any YAML file with one), namespaced keys as written. */
export function readStackEntries(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError([{ key: "(file)", value: path, message: `cannot be read: ${(e as Error).message}` }], path);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ConfigError([{ key: "(file)", value: path, message: `is not valid YAML: ${(e as Error).message}` }], path);
  }
  const config = (doc as { config?: unknown } | null)?.config;
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new ConfigError([{ key: "config", value: config, message: "expected a `config:` map of namespaced keys" }], path);
  }
  return config as Record<string, unknown>;
}

/** Reads a Pulumi.<stack>.yaml (or any YAML file with a `config:` map) into the raw object the schema parses. */
export function rawFromStackFile(path: string): Record<string, unknown> {
  return decodeNamespacedConfig(readStackEntries(path), path);
}

/**
 * The defaults the project file (`Pulumi.yaml`, generated from the schema) declares, namespaced.
 * `pulumi up` gives a key the stack file lacks its project default before the program runs.
 */
export function projectConfigDefaults(projectFile = "Pulumi.yaml"): Record<string, unknown> {
  let doc: { name?: unknown; config?: Record<string, { default?: unknown; value?: unknown } | null> } | null;
  try {
    doc = parseYaml(readFileSync(projectFile, "utf8")) as typeof doc;
  } catch (e) {
    throw new ConfigError([{ key: "(file)", value: projectFile, message: `cannot be read: ${(e as Error).message}` }], projectFile);
  }
  const project = typeof doc?.name === "string" ? doc.name : PROJECT;
  const out: Record<string, unknown> = {};
  for (const [key, decl] of Object.entries(doc?.config ?? {})) {
    const value = decl?.default ?? decl?.value;
    if (value !== undefined) out[key.includes(":") ? key : `${project}:${key}`] = value;
  }
  return out;
}

/**
 * What `pulumi up` hands the program for a stack file (PULUMI_CONFIG): the stack's keys, plus the
 * project file's default for each key the stack lacks, every value a string (config/decode.ts
 * engineConfig). The tests run the runtime path on it.
 */
export function runtimeConfigFromStackFile(path: string, projectFile = "Pulumi.yaml"): Record<string, string> {
  return engineConfig({ ...projectConfigDefaults(projectFile), ...readStackEntries(path) });
}

/**
 * One runtime config string decoded as a top-level key would be. Without a key (the old form),
 * JSON text is parsed and anything else stays a string.
 */
export function decodeRuntimeValue(v: string, key?: string): unknown {
  return decodeTopLevel(key ?? "", v);
}

/** Runtime config (PULUMI_CONFIG strings) for a raw object, e.g. a parsed stack file with overrides. */
export function encodeRuntimeConfig(raw: Record<string, unknown>): Record<string, string> {
  return engineConfig(Object.fromEntries(Object.entries(raw).map(([k, v]) => [`${PROJECT}:${k}`, v])));
}

export function loadStackFile(path: string): StackConfig {
  return parseStackConfig(rawFromStackFile(path), path);
}

/** Any stack file, ActivePieces or profile (parseAnyStackConfig). */
export function loadAnyStackFile(path: string): AnyStackConfig {
  return parseAnyStackConfig(rawFromStackFile(path), path);
}
