import type { z } from "zod";
import { StackConfigSchema } from "./schema";
import { ProfileSchema } from "./profile-schema";
import { ConfigError, type ConfigProblem } from "./errors";

/**
 * The one decoder from Pulumi stack config to the raw object the zod schema parses, used by the
 * offline plan (entries read from `Pulumi.<stack>.yaml`) and by `pulumi up` (entries from the runtime).
 *
 * What the two paths see (Pulumi CLI and engine, sdk/go/common/resource/config and sdk/nodejs):
 * - `pulumi config set ns:key 120` stores a top-level value as a string (`ns:key: "120"` in the
 *   file); only `--type int|bool|float` writes a typed scalar. A hand-written `ns:key: 120` is a
 *   YAML integer.
 * - `pulumi config set --path 'ns:key.a.b' v` stores a typed value under the key: "true"/"false"
 *   become booleans and base-10 integers (no leading 0) numbers; everything else, decimals
 *   included, stays a string unless `--type float` is given.
 * - The engine hands the program every key as a string (PULUMI_CONFIG): strings as they are,
 *   typed scalars as their JSON text ("120", "true"), objects and arrays as JSON text. The SDK's
 *   getNumber/getBoolean/getObject parse those strings on demand.
 *
 * So every entry is first brought to the text the engine would pass ({@link engineText}), then a
 * top-level key is decoded to the type its schema field takes: "120" becomes 120 only where a
 * number is expected, "true" a boolean only where a boolean is, JSON text an object or array only
 * where one is. A string field (`image`, `frontendUrl`) keeps "0.83" as text. Values inside
 * objects keep their JSON/YAML types: the schema judges them as written.
 */

/** Pulumi project name; stack config keys live in this namespace (`activepieces-aws:<key>`). */
export const PROJECT = "activepieces-aws";

/** Namespaces of the providers and SDKs this program uses, whose settings may sit beside ours. */
export const PROVIDER_NAMESPACES = ["aws", "awsx", "kubernetes", "random", "pulumi"] as const;

/** What one top-level schema field accepts, as far as decoding a string needs to know. */
interface Accepts {
  anyString: boolean;
  /** Literal and enum string values, when the field takes only some strings. */
  readonly strings: Set<string>;
  number: boolean;
  boolean: boolean;
  object: boolean;
  array: boolean;
}

interface Def {
  readonly type: string;
  readonly innerType?: z.core.$ZodType;
  readonly in?: z.core.$ZodType;
  readonly options?: readonly z.core.$ZodType[];
  readonly values?: readonly unknown[];
  readonly entries?: Readonly<Record<string, unknown>>;
  readonly getter?: () => z.core.$ZodType;
}

function collect(schema: z.core.$ZodType, into: Accepts, depth = 0): Accepts {
  if (depth > 20) return into;
  const def = schema._zod.def as unknown as Def;
  const literal = (v: unknown) => {
    if (typeof v === "string") into.strings.add(v);
    else if (typeof v === "number" || typeof v === "bigint") into.number = true;
    else if (typeof v === "boolean") into.boolean = true;
  };
  switch (def.type) {
    case "string":
    case "template_literal":
    case "any":
    case "unknown":
    case "custom":
      into.anyString = true;
      break;
    case "number":
    case "int":
    case "bigint":
      into.number = true;
      break;
    case "boolean":
      into.boolean = true;
      break;
    case "literal":
      (def.values ?? []).forEach(literal);
      break;
    case "enum":
      Object.values(def.entries ?? {}).forEach(literal);
      break;
    case "object":
    case "record":
    case "map":
      into.object = true;
      break;
    case "array":
    case "tuple":
    case "set":
      into.array = true;
      break;
    case "union":
      for (const o of def.options ?? []) collect(o, into, depth + 1);
      break;
    case "pipe":
      if (def.in) collect(def.in, into, depth + 1);
      break;
    case "lazy":
      if (def.getter) collect(def.getter(), into, depth + 1);
      break;
    default:
      // optional, nullable, default, prefault, catch, readonly, nonoptional, ...
      if (def.innerType) collect(def.innerType, into, depth + 1);
  }
  return into;
}

let fieldsCache: Map<string, Accepts> | undefined;

/** Top-level fields of the stack schema and what each accepts (computed once). */
function topLevelFields(): Map<string, Accepts> {
  if (!fieldsCache) {
    // `profile` (a workload profile stack) is an object like any other object key.
    const shape = { ...(StackConfigSchema as unknown as { shape: Record<string, z.core.$ZodType> }).shape, profile: ProfileSchema as z.core.$ZodType };
    fieldsCache = new Map(
      Object.entries(shape).map(([k, s]) => [
        k,
        collect(s, {
          anyString: false,
          strings: new Set(),
          number: false,
          boolean: false,
          object: false,
          array: false,
        }),
      ]),
    );
  }
  return fieldsCache;
}

/** A number as JSON writes it: what the CLI stores for an integer and the engine passes for any number. */
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Decodes one top-level value, given as the engine passes it (a string), to the type the field
 * takes. A string the field cannot take in any type stays a string, so zod names the key and
 * shows the value as written.
 */
export function decodeTopLevel(key: string, text: string): unknown {
  const field = topLevelFields().get(key);
  if (!field) {
    // Not a key of the schema (zod will call it unknown): show its value typed, as JSON reads it.
    const parsed = parseJson(text);
    return parsed.ok ? parsed.value : text;
  }
  if (field.anyString || field.strings.has(text)) return text;
  if (field.boolean && (text === "true" || text === "false")) return text === "true";
  if (field.number && NUMBER.test(text)) return Number(text);
  const trimmed = text.trim();
  if ((field.object && trimmed.startsWith("{")) || (field.array && trimmed.startsWith("["))) {
    const parsed = parseJson(trimmed);
    if (parsed.ok) return parsed.value;
  }
  return text;
}

/** A value encrypted with `pulumi config set --secret`, as the stack file holds it. */
function isSecureValue(v: unknown): v is { secure: string } {
  return v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { secure?: unknown }).secure === "string";
}

/**
 * The text the engine passes the program for one stack-file value: strings as they are,
 * everything else (numbers, booleans, null, objects, arrays) as JSON.
 */
export function engineText(v: unknown): string {
  return typeof v === "string" ? v : (JSON.stringify(v) ?? "null");
}

/**
 * What `pulumi up` hands the program (PULUMI_CONFIG) for the entries of a stack file: every
 * namespaced key, each value as {@link engineText}. The offline plan feeds this to the runtime.
 */
export function engineConfig(entries: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, engineText(v)]));
}

/**
 * Namespaced config (`activepieces-aws:key` -> value, as the stack file holds it or as the runtime
 * passes it) -> the raw object of keys without namespace that the schema parses.
 * A key outside our namespace and the providers' is refused (a misspelt namespace would otherwise
 * drop it silently and fall back to a default), and `aws:region`, when set, must agree with
 * `region`: two regions in one stack is how buckets end up far from compute.
 */
export function decodeNamespacedConfig(entries: Readonly<Record<string, unknown>>, source: string): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(entries)) {
    const [ns, ...rest] = key.split(":");
    if (ns === PROJECT && rest.length === 1 && rest[0]) {
      const name = rest[0];
      if (isSecureValue(value)) {
        problems.push({
          key: name,
          value: "[secret]",
          message:
            "is encrypted (pulumi config set --secret), which only `pulumi up` can read; " +
            "no key of this program is a secret: keep secrets in AWS Secrets Manager and give their ARNs",
        });
        continue;
      }
      raw[name] = decodeTopLevel(name, engineText(value));
    } else if (ns === undefined || rest.length === 0 || !(PROVIDER_NAMESPACES as readonly string[]).includes(ns)) {
      problems.push({
        key,
        value,
        message: `is not a key of this program; stack keys are ${PROJECT}:<key>, provider keys ${PROVIDER_NAMESPACES.map((n) => `${n}:<key>`).join(", ")}`,
      });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems, source);
  const awsRegion = entries["aws:region"];
  if (awsRegion !== undefined && raw.region !== undefined && engineText(awsRegion) !== raw.region) {
    throw new ConfigError(
      [{ key: "region", value: raw.region, message: `disagrees with aws:region (${engineText(awsRegion)}); set one region for the whole stack` }],
      source,
    );
  }
  return raw;
}
