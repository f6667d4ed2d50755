import type { Edge, EdgeTarget, RoleName, SecretName } from "../types";

/**
 * The contract check reads the resources a program registered, as plain data: no Pulumi import,
 * so the offline plan, the tests and a future check of a real stack export can all feed it.
 * offline/capture.ts `CapturedResource` fits this shape.
 */
export interface CheckedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Physical id; security groups are referred to by it. */
  readonly id?: string;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
}

/** A contract edge (`postgres`, `redis`, `app`, `s3`) or a secret the role reads (`secret:jwtSecret`). */
export type CheckTarget = EdgeTarget | `secret:${SecretName}`;

export interface ExpectedEdge {
  readonly role: RoleName;
  readonly target: CheckTarget;
  /** The connection, for network and API edges. */
  readonly edge?: Edge;
  /** The secret, for `secret:` targets. */
  readonly secret?: SecretName;
}

/** One edge's verdict; a workload profile's roles and targets are its own names (contract/check/profile/). */
export interface EdgeResult<R extends string = RoleName, T extends string = CheckTarget> {
  readonly role: R;
  readonly target: T;
  readonly ok: boolean;
  /** What is missing, naming the role, the target and the piece; absent when the edge holds. */
  readonly missing?: string;
}

export interface ContractCheck<R extends string = RoleName, T extends string = CheckTarget> {
  readonly ok: boolean;
  readonly edges: EdgeResult<R, T>[];
  /** Everything open, granted or delivered that no contract edge needs. */
  readonly extras: string[];
}

/** What a platform proves: the pieces missing for one edge, and what is open beyond all edges. */
export interface PlatformCheck {
  missing(e: ExpectedEdge): Promise<string[]>;
  extras(): Promise<string[]>;
}

export const TYPES = {
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  rds: "aws:rds/instance:Instance",
  cache: "aws:elasticache/replicationGroup:ReplicationGroup",
  secret: "aws:secretsmanager/secret:Secret",
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
  policy: "aws:iam/policy:Policy",
  ecsService: "aws:ecs/service:Service",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  lambda: "aws:lambda/function:Function",
  eksCluster: "aws:eks/cluster:Cluster",
  podIdentity: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  deployment: "kubernetes:apps/v1:Deployment",
  k8sService: "kubernetes:core/v1:Service",
  externalSecret: "kubernetes:external-secrets.io/v1:ExternalSecret",
  clusterSecretStore: "kubernetes:external-secrets.io/v1:ClusterSecretStore",
  helmRelease: "kubernetes:helm.sh/v3:Release",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  k8sIngress: "kubernetes:networking.k8s.io/v1:Ingress",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
} as const;

/** A property as deployed: the engine's resolved output when there is one, else the input. */
export function prop(r: CheckedResource | undefined, key: string): unknown {
  if (!r) return undefined;
  return r.outputs[key] !== undefined ? r.outputs[key] : r.inputs[key];
}

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const num = (v: unknown): number | undefined =>
  typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && !isNaN(Number(v)) ? Number(v) : undefined;
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
export const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
export const objs = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(obj) : []);

export const ofType = (rs: readonly CheckedResource[], type: string): CheckedResource[] => rs.filter((r) => r.type === type);

/** A JSON string property (policy documents, container definitions) parsed, or the value itself. */
export function parsed(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}
