/**
 * How a container refers to a Secrets Manager secret, written and read in one place. The ECS form
 * is `<secret arn>` for the whole value, or `<secret arn>:<json-key>::` for one key of a JSON secret
 * (version stage and version id left empty: the current version). ECS task definitions use it as
 * `valueFrom`; the execution role's policy needs the bare ARN; External Secrets needs the ARN and
 * the key as `remoteRef.key` / `remoteRef.property`.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
 * Pure (no Pulumi import).
 */

/** A secret reference taken apart: the secret's ARN and, for a JSON secret, the key read from it. */
export interface SecretRefParts {
  readonly arn: string;
  readonly jsonKey?: string;
}

/**
 * A Secrets Manager secret ARN: partition, region, 12-digit account, then the name with its
 * six-character suffix. Names hold no colon (they allow letters, digits and /_+=.@-, and RDS adds `!`).
 */
const SECRET_ARN = String.raw`arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:[^:]+`;
const REF = new RegExp(`^(${SECRET_ARN})(?::([^:]+)::)?$`);

/** `<arn>` or `<arn>:<jsonKey>::`. */
export function formatSecretRef(arn: string, jsonKey?: string): string {
  return jsonKey ? `${arn}:${jsonKey}::` : arn;
}

/** The inverse of formatSecretRef; anything else (not a Secrets Manager ARN) is returned as the ARN unchanged. */
export function parseSecretRef(ref: string): SecretRefParts {
  const m = REF.exec(ref);
  if (!m) return { arn: ref };
  return m[2] ? { arn: m[1]!, jsonKey: m[2] } : { arn: m[1]! };
}
