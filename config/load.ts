import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { StackConfigSchema } from "./schema";
import { resolveDefaults, type StackConfig } from "./defaults";
import { ConfigError, problemsFromZod, type ConfigProblem } from "./errors";

/** Pulumi project name; stack config keys live in this namespace (`activepieces-aws:<key>`). */
export const PROJECT = "activepieces-aws";

/** Namespaces of the providers and SDKs this program uses, whose settings may sit beside ours. */
const PROVIDER_NAMESPACES = ["aws", "awsx", "kubernetes", "random", "pulumi"];

/** Validates raw config (keys without namespace) and applies every default. Throws ConfigError listing all problems. */
export function parseStackConfig(raw: unknown, source: string): StackConfig {
  const result = StackConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(problemsFromZod(result.error, raw), source);
  return resolveDefaults(result.data);
}

/**
 * Turns namespaced Pulumi config (`activepieces-aws:key` -> value) into our raw object.
 * `aws:region`, when set, must agree with `region`: two regions in one stack is how buckets end up far from compute.
 */
export function rawFromNamespaced(entries: Record<string, unknown>, source: string): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(entries)) {
    const [ns, ...rest] = key.split(":");
    if (ns === PROJECT && rest.length === 1 && rest[0]) raw[rest[0]] = value;
    else if (ns === undefined || rest.length === 0 || !PROVIDER_NAMESPACES.includes(ns)) {
      // A misspelt namespace would otherwise drop the key silently and fall back to a default.
      problems.push({ key, value, message: `is not a key of this program; stack keys are ${PROJECT}:<key>, provider keys ${PROVIDER_NAMESPACES.map((n) => `${n}:<key>`).join(", ")}` });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems, source);
  const awsRegion = entries["aws:region"];
  if (awsRegion !== undefined && raw.region !== undefined && awsRegion !== raw.region) {
    throw new ConfigError([{ key: "region", value: raw.region,
      message: `disagrees with aws:region (${String(awsRegion)}); set one region for the whole stack` }], source);
  }
  return raw;
}

/** Reads a Pulumi.<stack>.yaml (or any YAML file with a `config:` map). */
export function rawFromStackFile(path: string): Record<string, unknown> {
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
  return rawFromNamespaced(config as Record<string, unknown>, path);
}

/** Pulumi runtime config holds strings (objects as JSON); turn each back into its typed value. */
export function decodeRuntimeValue(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** Inverse of decodeRuntimeValue, used to feed a parsed stack file to the runtime under mocks. */
export function encodeRuntimeConfig(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) out[`${PROJECT}:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}

export function loadStackFile(path: string): StackConfig {
  return parseStackConfig(rawFromStackFile(path), path);
}
