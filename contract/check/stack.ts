import type { SecretName } from "../types";
import { type CheckedResource, TYPES, obj, objs, ofType, parsed, prop, str, strings } from "./types";

/** Where a secret is kept: the Secrets Manager ARN and, for a JSON secret, the key read from it. */
export interface SecretSource {
  readonly arn: string;
  readonly key?: string;
}

/**
 * components/secrets.ts stores each generated secret as `<name>-<key>`; the database password is
 * the RDS-managed master secret, a JSON document whose `password` key the app reads.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
 */
const GENERATED: Readonly<Record<Exclude<SecretName, "databasePassword">, string>> = {
  encryptionKey: "-encryption-key",
  jwtSecret: "-jwt-secret",
  workerToken: "-worker-token",
  redisAuth: "-redis-auth",
};

const masterSecretArns = (rs: readonly CheckedResource[]): string[] =>
  ofType(rs, TYPES.rds)
    .flatMap((db) => objs(prop(db, "masterUserSecrets")).map((s) => str(s.secretArn) ?? ""))
    .filter(Boolean);

/** Each contract secret's source in this stack (an existing secret's ARN when one is given); absent when there is none. */
export function secretSources(rs: readonly CheckedResource[], existing: Partial<Record<SecretName, string>> = {}): Partial<Record<SecretName, SecretSource>> {
  const out: Partial<Record<SecretName, SecretSource>> = {};
  for (const [secret, suffix] of Object.entries(GENERATED) as [SecretName, string][]) {
    const arn =
      existing[secret] ??
      str(
        prop(
          ofType(rs, TYPES.secret).find((r) => r.name.endsWith(suffix)),
          "arn",
        ),
      );
    if (arn) out[secret] = { arn };
  }
  const master = masterSecretArns(rs)[0];
  if (master) out.databasePassword = { arn: master, key: "password" };
  return out;
}

/**
 * Every secret the stack creates, has RDS create or wires in (existing and declared extra ARNs):
 * what a role could be granted beyond its contract.
 */
export function stackSecretArns(rs: readonly CheckedResource[], wired: readonly string[] = []): string[] {
  const created = ofType(rs, TYPES.secret)
    .map((r) => str(prop(r, "arn")) ?? r.id ?? "")
    .filter(Boolean);
  return [...new Set([...created, ...masterSecretArns(rs), ...wired])];
}

/** The contract name of a secret ARN, for messages. */
export function secretLabel(sources: Partial<Record<SecretName, SecretSource>>, arn: string): string {
  const name = (Object.keys(sources) as SecretName[]).find((s) => sources[s]!.arn === arn);
  return name ? `the ${name} secret (${arn})` : `the secret ${arn}`;
}

/**
 * An ECS `valueFrom` (`<arn>` or `<arn>:<json-key>:<version-stage>:<version-id>`): the first seven
 * colon-separated fields are the ARN, a secret name has no colon.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
 */
export function parseValueFrom(valueFrom: string): SecretSource {
  const parts = valueFrom.split(":");
  if (parts.length <= 7) return { arn: valueFrom };
  const key = parts[7];
  return key ? { arn: parts.slice(0, 7).join(":"), key } : { arn: parts.slice(0, 7).join(":") };
}

export const sameSource = (a: SecretSource, b: SecretSource): boolean => a.arn === b.arn && (a.key ?? "") === (b.key ?? "");
export const describeSource = (s: SecretSource): string => (s.key ? `${s.arn} (key ${s.key})` : s.arn);

/** Security groups of the database (RDS `vpcSecurityGroupIds`) and of the cache (ElastiCache `securityGroupIds`). */
export function dataTierSgs(rs: readonly CheckedResource[]): { postgres: string[]; redis: string[] } {
  return {
    postgres: ofType(rs, TYPES.rds).flatMap((r) => strings(prop(r, "vpcSecurityGroupIds"))),
    redis: ofType(rs, TYPES.cache).flatMap((r) => strings(prop(r, "securityGroupIds"))),
  };
}

/** The bucket a role's AP_S3_BUCKET names: its ARN and bucket policy; undefined when the stack has no such bucket. */
export function bucketOf(rs: readonly CheckedResource[], name: string | undefined): { arn: string; policy?: unknown } | undefined {
  if (!name) return undefined;
  const bucket = [...ofType(rs, TYPES.bucket), ...ofType(rs, TYPES.bucketV2)].find((b) => prop(b, "bucket") === name);
  if (!bucket) return undefined;
  const policy = ofType(rs, TYPES.bucketPolicy).find((p) => prop(p, "bucket") === name || prop(p, "bucket") === bucket.id);
  return { arn: str(prop(bucket, "arn")) ?? `arn:aws:s3:::${name}`, policy: policy ? parsed(prop(policy, "policy")) : undefined };
}

/** The security group of a resource by id, for naming a rule's source in messages. */
export function sgName(rs: readonly CheckedResource[], id: string): string | undefined {
  return ofType(rs, TYPES.sg).find((r) => r.id === id)?.name;
}

/** A Kubernetes object's name and namespace. */
export function k8sMeta(r: CheckedResource): { name?: string; namespace: string } {
  const m = obj(prop(r, "metadata"));
  return { name: str(m.name), namespace: str(m.namespace) ?? "default" };
}
