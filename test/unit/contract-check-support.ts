/**
 * Surgery on captured resources for the contract-check tests: each test removes or adds one
 * piece of a captured stack and asserts what the check reports. Inputs and outputs are edited
 * alike, since the check reads resolved outputs first.
 */
import { expect } from "vitest";
import { type ContractCheck, checkContract } from "../../contract/check";
import type { Plan } from "../../sizing/types";
import type { Capture, CapturedResource } from "../../offline/capture";
import { captureStack } from "../stack";

export type R = CapturedResource;
type Props = Record<string, unknown>;

export const byName = (type: string, suffix: string) => (r: R) => r.type === type && r.name.endsWith(suffix);

/** The resources without those matching; throws when nothing matches, so a renamed resource fails loudly. */
export function without(rs: readonly R[], match: (r: R) => boolean): R[] {
  const out = rs.filter((r) => !match(r));
  if (out.length === rs.length) throw new Error("without(): nothing matched");
  return out;
}

/** The resources with `fn` applied to a copy of the inputs and outputs of each one matching. */
export function edit(rs: readonly R[], match: (r: R) => boolean, fn: (props: Props) => void): R[] {
  let hits = 0;
  const out = rs.map((r) => {
    if (!match(r)) return r;
    hits++;
    const inputs = structuredClone(r.inputs);
    const outputs = structuredClone(r.outputs);
    fn(inputs);
    fn(outputs);
    return { ...r, inputs, outputs };
  });
  if (hits === 0) throw new Error("edit(): nothing matched");
  return out;
}

/** A resource as the engine would register it (outputs = inputs plus the given outputs). */
export function added(rs: readonly R[], type: string, name: string, inputs: Props, outputs: Props = {}, id?: string): R[] {
  return [
    ...rs,
    {
      urn: `urn:pulumi:test::activepieces-aws::${type}::${name}`,
      type,
      name,
      custom: true,
      id,
      inputs,
      rawInputs: inputs,
      outputs: { ...inputs, ...outputs },
      options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [], dependsOn: [] },
      propertyDependencies: {},
    },
  ];
}

/** Rewrites a JSON-string property (policy documents, container definitions) in place. */
export function json<T>(props: Props, key: string, fn: (doc: T) => void): void {
  if (typeof props[key] !== "string") return;
  const doc = JSON.parse(props[key] as string) as T;
  fn(doc);
  props[key] = JSON.stringify(doc);
}

export interface ContainerDef {
  name: string;
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
}
export interface PolicyDoc {
  Statement: { Sid?: string; Action: string | string[]; Resource: string | string[] }[];
}
export interface PodContainer {
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
}

/** Edits the single container of an ECS task definition. */
export const container = (fn: (c: ContainerDef) => void) => (p: Props) => json<ContainerDef[]>(p, "containerDefinitions", (defs) => fn(defs[0]!));

/** Edits the single container of a Deployment's pod template. */
export const podContainer = (fn: (c: PodContainer) => void) => (p: Props) =>
  fn(((p.spec as Props).template as { spec: { containers: PodContainer[] } }).spec.containers[0]!);

/** Edits the statements of a policy document property. */
export const statements = (fn: (s: PolicyDoc["Statement"]) => PolicyDoc["Statement"]) => (p: Props) =>
  json<PolicyDoc>(p, "policy", (doc) => {
    doc.Statement = fn(doc.Statement);
  });

/** The `role -> target` of each edge, for comparing lists. */
export const edgeNames = (edges: readonly { role: string; target: string }[]) => edges.map((e) => `${e.role} -> ${e.target}`);

export const EDGES_082 = [
  "app -> postgres",
  "app -> redis",
  "app -> s3",
  "app -> secret:encryptionKey",
  "app -> secret:jwtSecret",
  "app -> secret:redisAuth",
  "app -> secret:databasePassword",
  "worker -> app",
  "worker -> secret:workerToken",
];
export const EDGES_079 = [
  "app -> postgres",
  "app -> redis",
  "app -> s3",
  "app -> secret:encryptionKey",
  "app -> secret:jwtSecret",
  "app -> secret:redisAuth",
  "app -> secret:databasePassword",
  "worker -> redis",
  "worker -> app",
  "worker -> secret:workerToken",
];

export const broken = (r: ContractCheck) => r.edges.filter((e) => !e.ok);

/** One stack, captured once: the plan, its resources and the ids the messages name. */
export interface Stack {
  readonly plan: Plan;
  readonly cap: Capture;
  readonly rs: R[];
  readonly sg: (suffix: string) => string;
  readonly secretArn: (suffix: string) => string;
  readonly dbSecretArn: string;
  readonly bucketArn: string;
}

export async function captured(plan: Plan): Promise<Stack> {
  const cap = await captureStack(plan);
  return {
    plan,
    cap,
    rs: cap.resources,
    sg: (suffix) => cap.one("aws:ec2/securityGroup:SecurityGroup", suffix).id!,
    secretArn: (suffix) => cap.one("aws:secretsmanager/secret:Secret", suffix).outputs.arn as string,
    dbSecretArn: (cap.one("aws:rds/instance:Instance").outputs.masterUserSecrets as { secretArn: string }[])[0]!.secretArn,
    bucketArn: cap.one("aws:s3/bucket:Bucket", "-files-bucket").outputs.arn as string,
  };
}

/** Asserts that exactly one edge broke, with this message, and nothing extra appeared. */
export async function expectBroken(s: Stack, rs: R[], role: string, target: string, missing: string): Promise<void> {
  const r = await checkContract(s.plan, rs);
  expect(broken(r)).toEqual([{ role, target, ok: false, missing }]);
  expect(r.extras).toEqual([]);
  expect(r.ok).toBe(false);
}
