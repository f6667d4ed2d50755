/**
 * The `pulumi stack export` document (version 3) and how its values reach the analyzer: secret
 * envelopes become secrets again (plaintext with `--show-secrets`, unknown when only ciphertext is
 * there), resource references become their id, and provider references resolve to the provider.
 */
import { specialArchiveSig, specialAssetSig, specialOutputValueSig, specialResourceSig, specialSecretSig, specialSigKey, unknownValue } from "./sdk-pulumi";
import { PolicyInputError } from "./errors";

export interface StackExportResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  parent?: string;
  /** `<provider urn>::<provider id>`. */
  provider?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  protect?: boolean;
  retainOnDelete?: boolean;
  /** Set on resources pending deletion; they are not part of the stack's new state. */
  delete?: boolean;
  external?: boolean;
  ignoreChanges?: string[];
  aliases?: string[];
  additionalSecretOutputs?: string[];
}

export interface StackExportV3 {
  version: 3;
  deployment: {
    manifest?: { time?: string; magic?: string; version?: string };
    secrets_providers?: { type: string; state?: unknown };
    resources?: StackExportResource[];
    [key: string]: unknown;
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Checks the document's shape; every problem names where it is. */
export function parseStackExport(doc: unknown): StackExportV3 {
  if (!isObject(doc)) throw new PolicyInputError("export", "the stack export must be a JSON object with `version` and `deployment`");
  if (doc.version !== 3)
    throw new PolicyInputError("export", `\`version\` is ${JSON.stringify(doc.version)}; only version 3 (\`pulumi stack export\` since Pulumi 3) is supported`);
  if (!isObject(doc.deployment)) throw new PolicyInputError("export", "`deployment` is missing or not an object");
  const resources = doc.deployment.resources;
  if (resources !== undefined && resources !== null && !Array.isArray(resources)) {
    throw new PolicyInputError("export", "`deployment.resources` is not a list");
  }
  for (const [i, r] of ((resources ?? []) as unknown[]).entries()) {
    const at = `deployment.resources[${i}]`;
    if (!isObject(r)) throw new PolicyInputError("export", `${at} is not an object`);
    if (typeof r.urn !== "string" || !r.urn.startsWith("urn:pulumi:")) throw new PolicyInputError("export", `${at}.urn is missing or not a Pulumi URN`);
    if (typeof r.type !== "string" || r.type === "") throw new PolicyInputError("export", `${at}.type is missing (${r.urn})`);
    for (const key of ["inputs", "outputs", "propertyDependencies"]) {
      if (r[key] !== undefined && r[key] !== null && !isObject(r[key])) throw new PolicyInputError("export", `${at}.${key} is not an object (${r.urn})`);
    }
    for (const key of ["parent", "provider", "id"]) {
      if (r[key] !== undefined && r[key] !== null && typeof r[key] !== "string")
        throw new PolicyInputError("export", `${at}.${key} is not a string (${r.urn})`);
    }
  }
  return doc as unknown as StackExportV3;
}

/** Name part of a URN: `urn:pulumi:stack::project::type::name` -> `name`. */
export function urnName(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

/** Splits `<provider urn>::<id>` into the provider URN. */
export function providerUrn(ref: string): string {
  const i = ref.lastIndexOf("::");
  return i > 0 ? ref.slice(0, i) : ref;
}

function secret(value: unknown): Record<string, unknown> {
  return { [specialSigKey]: specialSecretSig, value };
}

/**
 * Converts state values to the wire form the analyzer deserializes, as the engine does when it
 * sends a resource to a policy pack.
 */
export function toAnalyzerValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toAnalyzerValue);
  if (!isObject(v)) return v;
  const sig = v[specialSigKey];
  if (sig === undefined) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toAnalyzerValue(x);
    return out;
  }
  switch (sig) {
    case specialSecretSig: {
      if (typeof v.plaintext === "string") {
        let plain: unknown;
        try {
          plain = JSON.parse(v.plaintext);
        } catch {
          plain = v.plaintext;
        }
        return secret(toAnalyzerValue(plain));
      }
      if ("value" in v) return secret(toAnalyzerValue(v.value));
      // Only ciphertext: the value cannot be read without the stack's secrets provider.
      return secret(unknownValue);
    }
    case specialAssetSig:
      return v.path || v.text || v.uri ? v : unknownValue;
    case specialArchiveSig:
      if (isObject(v.assets)) return { ...v, assets: Object.fromEntries(Object.entries(v.assets).map(([k, a]) => [k, toAnalyzerValue(a)])) };
      return v.path || v.uri ? v : unknownValue;
    case specialResourceSig:
      // Policies see a referenced resource as its id (custom) or URN (component).
      return typeof v.id === "string" && v.id !== "" ? v.id : v.urn;
    case specialOutputValueSig:
      if (!("value" in v)) return unknownValue;
      return v.secret === true ? secret(toAnalyzerValue(v.value)) : toAnalyzerValue(v.value);
    default:
      return unknownValue;
  }
}
