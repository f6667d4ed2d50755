import { runSimulation } from "@cloud-copilot/iam-simulate";
import { type CheckedResource, TYPES, objs, ofType, parsed, prop, str, strings } from "./types";

/**
 * What an IAM role may do, evaluated the way IAM does (iam-simulate: action and resource matching,
 * wildcards, NotAction/NotResource, explicit denies, conditions), never by matching strings.
 */

/**
 * AWS managed policies the stack attaches, with their documents: they are not resources of the
 * stack, so the capture does not hold them.
 */
const AWS_MANAGED: Readonly<Record<string, unknown>> = {
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
  "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "ecr:GetAuthorizationToken",
          "ecr:BatchCheckLayerAvailability",
          "ecr:GetDownloadUrlForLayer",
          "ecr:BatchGetImage",
          "logs:CreateLogStream",
          "logs:PutLogEvents",
        ],
        Resource: "*",
      },
    ],
  },
};

export interface RolePolicies {
  readonly roleArn: string;
  /** Whether the stack has a role with this ARN. */
  readonly found: boolean;
  readonly policies: { readonly name: string; readonly policy: unknown }[];
  /** Attached policies whose document the check cannot see (a grant it cannot rule out). */
  readonly unknown: string[];
}

/** The identity policies of a role: inline (on the role or as RolePolicy) and attached (stack or AWS managed). */
export function rolePolicies(rs: readonly CheckedResource[], roleArn: string): RolePolicies {
  const role = ofType(rs, TYPES.role).find((r) => prop(r, "arn") === roleArn);
  if (!role) return { roleArn, found: false, policies: [], unknown: [] };
  const names = new Set([str(prop(role, "name")), role.id, roleArn].filter((x): x is string => !!x));
  const ofRole = (r: CheckedResource) => names.has(str(prop(r, "role")) ?? "");
  const policies: { name: string; policy: unknown }[] = [];
  const unknown: string[] = [];
  for (const p of objs(prop(role, "inlinePolicies"))) policies.push({ name: `${role.name}/${str(p.name) ?? "inline"}`, policy: parsed(p.policy) });
  for (const p of ofType(rs, TYPES.rolePolicy).filter(ofRole)) policies.push({ name: p.name, policy: parsed(prop(p, "policy")) });
  const attached = [
    ...strings(prop(role, "managedPolicyArns")),
    ...ofType(rs, TYPES.attachment)
      .filter(ofRole)
      .map((a) => str(prop(a, "policyArn")) ?? ""),
    // The exclusive PolicyAttachment lists its roles by name.
    ...ofType(rs, TYPES.policyAttachment)
      .filter((a) => strings(prop(a, "roles")).some((n) => names.has(n)))
      .map((a) => str(prop(a, "policyArn")) ?? ""),
  ];
  for (const arn of attached) {
    const own = ofType(rs, TYPES.policy).find((p) => prop(p, "arn") === arn || p.id === arn);
    if (own) policies.push({ name: own.name, policy: parsed(prop(own, "policy")) });
    else if (AWS_MANAGED[arn]) policies.push({ name: arn, policy: AWS_MANAGED[arn] });
    else unknown.push(arn);
  }
  return { roleArn, found: true, policies, unknown };
}

export type Decision = "Allowed" | "Denied" | { readonly error: string };

const accountOf = (arn: string): string | undefined => arn.split(":")[4] || undefined;

/** A resource-side policy and the request context it is evaluated in (S3: the bucket policy, over TLS). */
export interface ResourceSide {
  readonly policy?: unknown;
  readonly context?: Record<string, string>;
}

/**
 * Whether the role's policies allow `action` on `resource` in the same account, with the
 * resource's own policy when it has one (no SCP or boundary: the stack defines none). A resource
 * without an account (S3) is taken to be in the role's account.
 */
export async function decide(p: RolePolicies, action: string, resource: string, side: ResourceSide = {}): Promise<Decision> {
  const result = await runSimulation(
    {
      request: {
        principal: p.roleArn,
        action,
        resource: { resource, accountId: accountOf(resource) ?? accountOf(p.roleArn) ?? "000000000000" },
        contextVariables: side.context ?? {},
      },
      identityPolicies: p.policies.map((x) => ({ name: x.name, policy: x.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(side.policy !== undefined ? { resourcePolicy: side.policy } : {}),
    },
    {},
  );
  if (result.resultType === "error") return { error: result.errors.message };
  return result.overallResult === "Allowed" ? "Allowed" : "Denied";
}

export async function allows(p: RolePolicies, action: string, resource: string, side?: ResourceSide): Promise<boolean> {
  return (await decide(p, action, resource, side)) === "Allowed";
}

/**
 * Whether the role can do something it should not: "Allowed", an unknown attached policy, or a
 * simulation that could not run all count, since none of them proves a denial. Returns why, or
 * undefined when denied.
 */
export async function notDenied(p: RolePolicies, action: string, resource: string, side?: ResourceSide): Promise<string | undefined> {
  const d = await decide(p, action, resource, side);
  if (d === "Allowed") return "allows";
  if (d !== "Denied") return `cannot be evaluated (${d.error}) for`;
  if (p.unknown.length > 0) return `has policies the check cannot read (${p.unknown.join(", ")}) that may allow`;
  return undefined;
}

/**
 * Object keys in the shapes ActivePieces writes (A/file/s3-helper.ts constructS3Key:
 * `platform/<id>/<type>/<date>/<file>` or `project/<id>/...`). Concrete keys, because a wildcard
 * request would pass if any one key under the bucket were allowed.
 */
export const OBJECT_KEYS = ["platform/contract-check/FILE/2025/01/01/00/object", "project/contract-check/FILE/2025/01/01/00/object"];
/** The object actions the app's file storage needs (uploads and reads; signed URLs are signed with the same role). */
export const S3_ACTIONS = ["s3:GetObject", "s3:PutObject"];
/** Everything a role without an s3 edge must not be able to do on the bucket. */
export const S3_FORBIDDEN = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];

/** The app's SDK calls S3 over HTTPS, so the bucket's TLS-only policy is evaluated with aws:SecureTransport true. */
const overTls = (bucket: Bucket): ResourceSide => ({ policy: bucket.policy, context: { "aws:SecureTransport": "true" } });

export interface Bucket {
  readonly arn: string;
  readonly policy?: unknown;
}

/** The first object action the role is not allowed on the bucket (identity and bucket policy), or undefined when all are. */
export async function missingS3(p: RolePolicies, bucket: Bucket): Promise<string | undefined> {
  for (const action of S3_ACTIONS) {
    for (const key of OBJECT_KEYS) if (!(await allows(p, action, `${bucket.arn}/${key}`, overTls(bucket)))) return action;
  }
  return undefined;
}

/** Why a role that must not touch the bucket can (first finding), or undefined. */
export async function s3Access(p: RolePolicies, bucket: Bucket): Promise<string | undefined> {
  for (const action of S3_FORBIDDEN) {
    const why = await notDenied(p, action, `${bucket.arn}/${OBJECT_KEYS[0]}`, overTls(bucket));
    if (why) return `${why} ${action} on ${bucket.arn}/*`;
  }
  const list = await notDenied(p, "s3:ListBucket", bucket.arn, overTls(bucket));
  return list ? `${list} s3:ListBucket on ${bucket.arn}` : undefined;
}

/** The Pod Identity roles of a Kubernetes service account (EKS). https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html */
export function podIdentityRoles(rs: readonly CheckedResource[], namespace: string, serviceAccount: string): string[] {
  return ofType(rs, TYPES.podIdentity)
    .filter((a) => prop(a, "namespace") === namespace && prop(a, "serviceAccount") === serviceAccount)
    .map((a) => str(prop(a, "roleArn")) ?? "")
    .filter(Boolean);
}
