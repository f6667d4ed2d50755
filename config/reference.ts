import { z } from "zod";
import { StackConfigSchema } from "./schema";
import { ACTIVEPIECES_ONLY_KEYS } from "./profile-schema";

/**
 * The config reference, generated from the zod schema: the README table and the `config:`
 * block of Pulumi.yaml both come from here, and a test fails when either drifts.
 */

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
}

export interface ReferenceRow {
  /** Dotted key under the project namespace, e.g. `worker.capacity.onDemandBase`. */
  readonly key: string;
  readonly type: string;
  readonly required: boolean;
  readonly default?: unknown;
  readonly description: string;
}

function jsonSchema(): JsonSchema {
  return z.toJSONSchema(StackConfigSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.length > 6 ? `string (${s.enum.length} values)` : s.enum.map((e) => JSON.stringify(e)).join(" \\| ");
  const t = Array.isArray(s.type) ? s.type.join(" \\| ") : (s.type ?? (s.oneOf || s.anyOf ? "object" : "any"));
  const range = s.minimum !== undefined && s.maximum !== undefined ? ` ${s.minimum}..${s.maximum}` : "";
  return t === "array" ? `${typeOf(s.items ?? {})}[]` : `${t}${range}`;
}

function walk(s: JsonSchema, prefix: string, required: boolean, rows: ReferenceRow[], description?: string): void {
  const variants = s.oneOf ?? s.anyOf;
  if (prefix) {
    rows.push({ key: prefix, type: typeOf(s), required, default: s.default, description: description ?? s.description ?? "" });
  }
  if (s.properties) {
    for (const [k, child] of Object.entries(s.properties)) {
      walk(child, prefix ? `${prefix}.${k}` : k, (s.required ?? []).includes(k) && child.default === undefined, rows);
    }
  }
  if (variants) {
    for (const v of variants) {
      const mode = v.properties?.mode?.const;
      for (const [k, child] of Object.entries(v.properties ?? {})) {
        if (k === "mode") continue;
        walk(child, `${prefix}.${k}`, false, rows, `(mode ${String(mode)}) ${child.description ?? ""}`.trim());
      }
      if (mode !== undefined) {
        rows.push({ key: `${prefix}.mode`, type: JSON.stringify(mode), required: true, description: v.properties?.mode?.description ?? "" });
      }
    }
  }
}

export function referenceRows(): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  walk(jsonSchema(), "", true, rows);
  rows.push({
    key: "profile",
    type: "object",
    required: false,
    description:
      "A service that is not ActivePieces: { name, roles: { <role>: { image, env, port, health, exposure, neverPublic, capacity, cpu, memory, scaling, bounds, connects, secrets, metrics, dbPoolSize } }, data: { postgres, redis, buckets, external } } (config/profile-schema.ts; examples/langfuse.yaml, examples/membrane.yaml). With it the ActivePieces-only keys (image, peakConcurrentFlows, workerConcurrency, workersPerApp, executionMode, worker, app, extraEnv, extraSecrets, roleOverrides, existingSecrets) must be absent.",
  });
  // Discriminated unions list `mode` once per variant; keep each key once, merging the variants.
  const byKey = new Map<string, ReferenceRow>();
  for (const r of rows) {
    const seen = byKey.get(r.key);
    byKey.set(r.key, seen ? { ...seen, type: `${seen.type} \\| ${r.type}`, description: `${seen.description} ${r.description}` } : r);
  }
  return [...byKey.values()];
}

function cell(v: unknown): string {
  if (v === undefined) return "";
  return `\`${JSON.stringify(v)}\``;
}

/** Markdown table for the README. */
export function referenceMarkdown(): string {
  const lines = ["| key | type | default | description |", "| --- | --- | --- | --- |"];
  for (const r of referenceRows()) {
    const def = r.required ? "**required**" : cell(r.default);
    lines.push(`| \`${r.key}\` | ${r.type} | ${def} | ${r.description.replace(/\|/g, "\\|")} |`);
  }
  return lines.join("\n");
}

/** Pulumi's project config types; objects have no declared type (Pulumi stores them as JSON). */
function pulumiType(s: JsonSchema): string | undefined {
  const t = Array.isArray(s.type) ? undefined : s.type;
  if (t === "string" || t === "integer" || t === "boolean") return t;
  if (s.enum && s.enum.every((e) => typeof e === "string")) return "string";
  return undefined;
}

export interface PulumiConfigDeclaration {
  type?: string;
  description: string;
  default?: unknown;
}

/**
 * The `config:` declarations of Pulumi.yaml: every top-level key with its description, and the
 * schema default for optional keys (Pulumi refuses a stack that lacks a declared key without one).
 */
export function pulumiConfigDeclarations(): Record<string, PulumiConfigDeclaration> {
  const root = jsonSchema();
  const out: Record<string, PulumiConfigDeclaration> = {};
  for (const [k, s] of Object.entries(root.properties ?? {})) {
    const type = pulumiType(s);
    const optional = !(root.required ?? []).includes(k) || s.default !== undefined;
    // Required by ActivePieces only: a profile stack has no value for it, and Pulumi refuses a stack
    // lacking a declared key without a default; the program itself refuses it missing on an ActivePieces stack.
    if (!optional && ACTIVEPIECES_ONLY_KEYS.includes(k)) continue;
    if (optional && s.default === undefined) throw new Error(`config key ${k} is optional without a default; Pulumi would demand a value`);
    out[k] = { ...(type ? { type } : {}), description: s.description ?? "", ...(s.default !== undefined ? { default: s.default } : {}) };
  }
  return out;
}
