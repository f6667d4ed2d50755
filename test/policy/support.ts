/**
 * Builds small `pulumi stack export` documents for policy tests and runs them through the offline
 * check, i.e. through @pulumi/policy's analyzer handlers as `pulumi preview` would (pulumi-policy#445).
 */
import { expect } from "vitest";
import { checkStackExport, type StackExportResource, type StackExportV3, type Violation } from "../../policies/engine/check";
import { PULUMI_VERSION } from "../../policies/engine/sdk-pulumi";

export const ACCOUNT = "123456789012";
export const SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const STACK = "dev";
export const PROJECT = "shop";

export function urn(type: string, name: string, stack = STACK): string {
  return `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
}

export const PROVIDER_URN = urn("pulumi:providers:aws", "default_7_48_0");
export const PROVIDER_REF = `${PROVIDER_URN}::0b5c1b9e-6f53-4a0e-9d4e-4bd3c0a7c3a1`;

export interface ResourceOptions {
  /** Outputs the provider adds to the inputs. */
  readonly outputs?: Record<string, unknown>;
  readonly provider?: string | null;
  readonly propertyDependencies?: Record<string, string[]>;
}

/** A custom resource as the export lists it: outputs hold the inputs plus what the provider computed. */
export function resource(type: string, name: string, inputs: Record<string, unknown>, opts: ResourceOptions = {}): StackExportResource {
  const r: StackExportResource = {
    urn: urn(type, name),
    custom: true,
    id: `${name}-id`,
    type,
    inputs,
    outputs: { ...structuredClone(inputs), ...(opts.outputs ?? {}) },
    parent: urn("pulumi:pulumi:Stack", `${PROJECT}-${STACK}`),
  };
  if (opts.provider !== null) r.provider = opts.provider ?? PROVIDER_REF;
  if (opts.propertyDependencies) r.propertyDependencies = opts.propertyDependencies;
  return r;
}

/** A version-3 export with the stack resource and a default AWS provider in `region`. */
export function stackExport(resources: readonly StackExportResource[], region = "us-east-1"): StackExportV3 {
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-11-02T10:00:00.000Z", magic: "", version: PULUMI_VERSION },
      secrets_providers: { type: "passphrase" },
      resources: [
        { urn: urn("pulumi:pulumi:Stack", `${PROJECT}-${STACK}`), custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
        {
          urn: PROVIDER_URN,
          custom: true,
          id: PROVIDER_REF.split("::").pop(),
          type: "pulumi:providers:aws",
          inputs: { region, version: "7.48.0" },
          outputs: { region, version: "7.48.0" },
        },
        ...resources,
      ],
    },
  };
}

export async function check(resources: readonly StackExportResource[], config?: unknown): Promise<Violation[]> {
  return (await checkStackExport(stackExport(resources), config)).violations;
}

/** Moves every URN and reference to another stack name (for stack-dependent policies). */
export function onStack(doc: StackExportV3, stack: string): StackExportV3 {
  return JSON.parse(JSON.stringify(doc).replaceAll(`urn:pulumi:${STACK}::`, `urn:pulumi:${stack}::`)) as StackExportV3;
}

export function find(resources: readonly StackExportResource[], type: string, name: string): StackExportResource {
  const r = resources.find((x) => x.type === type && x.urn.endsWith(`::${name}`));
  if (!r) throw new Error(`fixture has no ${type} ${name}`);
  return r;
}

/** Applies the same change to a resource's inputs and outputs. */
export function edit(
  resources: readonly StackExportResource[],
  type: string,
  name: string,
  change: (props: Record<string, unknown>) => void,
): StackExportResource[] {
  const r = find(resources, type, name);
  change(r.inputs!);
  change(r.outputs!);
  return [...resources];
}

export type ContainerDef = Record<string, unknown> & { environment?: { name: string; value: string }[]; secrets?: { name: string; valueFrom: string }[] };

/** Edits the parsed `containerDefinitions` JSON of a task definition. */
export function editContainers(resources: readonly StackExportResource[], name: string, change: (defs: ContainerDef[]) => void): StackExportResource[] {
  return edit(resources, "aws:ecs/taskDefinition:TaskDefinition", name, (p) => {
    const defs = JSON.parse(p.containerDefinitions as string) as ContainerDef[];
    change(defs);
    p.containerDefinitions = JSON.stringify(defs);
  });
}

export function setEnv(def: ContainerDef, name: string, value: string): void {
  const env = (def.environment ??= []);
  const hit = env.find((e) => e.name === name);
  if (hit) hit.value = value;
  else env.push({ name, value });
}

/** Asserts exactly one violation: its policy, level and a fragment of its message. */
export function expectOne(violations: readonly Violation[], policy: string, fragment: string, level: "mandatory" | "advisory" = "mandatory"): Violation {
  expect(violations.map((v) => `${v.policy}: ${v.message}`)).toHaveLength(1);
  const v = violations[0]!;
  expect(v.policy).toBe(policy);
  expect(v.enforcementLevel).toBe(level);
  expect(v.message).toContain(fragment);
  expect(v.message).toMatch(/ Fix: .+/);
  return v;
}

export function secret(value: unknown): Record<string, unknown> {
  return { [SIG]: SECRET_SIG, plaintext: JSON.stringify(value) };
}
