/**
 * Turns a harness capture (the resources a program registered under mocks) into the document
 * `pulumi stack export` writes (version 3), so the offline policy check reads both the same way.
 */
import { PULUMI_VERSION, specialSecretSig, specialSigKey } from "../offline/sdk/pulumi";
import type { StackExportResource, StackExportV3 } from "../policies/engine/check";
import type { Capture } from "../offline/capture";

export interface StackExportOptions {
  /**
   * Inputs of the default provider per package (`{ aws: { region: "us-east-1" } }`). When given,
   * custom resources without an explicit provider reference a `default` provider as the engine
   * records them.
   */
  readonly defaultProviders?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Manifest time; defaults to now. */
  readonly time?: string;
}

/** Secrets as `pulumi stack export --show-secrets` writes them: the JSON text of the value in `plaintext`. */
function exportValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(exportValue);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if (o[specialSigKey] === specialSecretSig && "value" in o) {
    return { [specialSigKey]: specialSecretSig, plaintext: JSON.stringify(o.value ?? null) };
  }
  return Object.fromEntries(
    Object.entries(o)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => [k, exportValue(x)]),
  );
}

export function toStackExport(capture: Capture, options: StackExportOptions = {}): StackExportV3 {
  const stackUrn = `urn:pulumi:${capture.stack}::${capture.project}::pulumi:pulumi:Stack::${capture.project}-${capture.stack}`;
  const resources: StackExportResource[] = [{ urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: {} }];
  const defaults = new Map<string, string>();
  for (const [pkg, inputs] of Object.entries(options.defaultProviders ?? {})) {
    const urn = `urn:pulumi:${capture.stack}::${capture.project}::pulumi:providers:${pkg}::default`;
    const id = `${pkg}-default-provider-id`;
    resources.push({ urn, custom: true, id, type: `pulumi:providers:${pkg}`, inputs: { ...inputs }, outputs: { ...inputs } });
    defaults.set(pkg, `${urn}::${id}`);
  }
  for (const r of capture.resources) {
    const inputs = exportValue(r.rawInputs) as Record<string, unknown>;
    // A provider returns every input among its outputs; the mocks may return only what they compute.
    const outputs = { ...inputs, ...(exportValue(r.outputs) as Record<string, unknown>) };
    const pkg = r.type.split(":")[0] ?? "";
    const provider = r.provider ?? (r.custom && !r.type.startsWith("pulumi:providers:") ? defaults.get(pkg) : undefined);
    resources.push({
      urn: r.urn,
      custom: r.custom,
      ...(r.id ? { id: r.id } : {}),
      type: r.type,
      inputs,
      outputs,
      parent: r.parent ?? stackUrn,
      ...(provider ? { provider } : {}),
      // As `pulumi stack export` writes them: the options that decide ordering and safety.
      ...(r.options.protect ? { protect: true } : {}),
      ...(r.options.retainOnDelete ? { retainOnDelete: true } : {}),
      dependencies: r.options.dependsOn,
      propertyDependencies: r.propertyDependencies,
    });
  }
  return {
    version: 3,
    deployment: {
      manifest: { time: options.time ?? new Date().toISOString(), magic: "", version: PULUMI_VERSION },
      secrets_providers: { type: "passphrase" },
      resources,
    },
  };
}
