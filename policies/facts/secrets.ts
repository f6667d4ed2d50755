/**
 * Which environment variable names hold secrets, and where a secret may come from.
 * Shared by the policy pack (which rejects literal values under these names) and the program
 * (which must put these names in ECS `secrets` / Kubernetes `secretKeyRef`, never in `environment`).
 *
 * ActivePieces' own secret variables: https://www.activepieces.com/docs/install/configuration/environment-variables
 */

/** ActivePieces variables that are secrets even though their names carry no generic marker. */
export const ACTIVEPIECES_SECRET_NAMES: readonly string[] = [
  "AP_ENCRYPTION_KEY",
  "AP_JWT_SECRET",
  "AP_POSTGRES_PASSWORD",
  "AP_REDIS_PASSWORD",
  "AP_WORKER_TOKEN",
  "AP_API_KEY",
  "AP_QUEUE_UI_PASSWORD",
];

/** Name fragments that mark a secret: `DB_PASSWORD`, `GITHUB_TOKEN`, `CLIENT_SECRET`, `AWS_SECRET_ACCESS_KEY`. */
export const SECRET_NAME_FRAGMENTS: readonly string[] = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "CREDENTIAL", "PRIVATE_KEY", "API_KEY", "ACCESS_KEY"];

/** Name suffixes that mark a secret: `*_KEY` (`STRIPE_KEY`, `AP_ENCRYPTION_KEY`). */
export const SECRET_NAME_SUFFIXES: readonly string[] = ["_KEY"];

/**
 * Suffixes that make a secret-looking name refer to a secret instead of holding it
 * (`DB_PASSWORD_SECRET_ARN`, `POSTGRES_PASSWORD_FILE`) or carry a setting about it
 * (`JWT_TOKEN_EXPIRY`, `AP_QUEUE_UI_PASSWORD_ENABLED`).
 */
export const NON_SECRET_NAME_SUFFIXES: readonly string[] = [
  "_ARN", "_FILE", "_PATH", "_NAME", "_ENABLED", "_EXPIRY", "_EXPIRES_IN", "_TTL", "_TIMEOUT", "_LENGTH", "_HEADER",
];

/** True when a variable with this name must not hold a literal value. */
export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (ACTIVEPIECES_SECRET_NAMES.includes(upper)) return true;
  if (NON_SECRET_NAME_SUFFIXES.some((s) => upper.endsWith(s))) return false;
  return SECRET_NAME_FRAGMENTS.some((f) => upper.includes(f)) || SECRET_NAME_SUFFIXES.some((s) => upper.endsWith(s));
}

/**
 * True when a value is a URL that carries a password (`postgres://user:pass@host/db`,
 * `rediss://:token@host:6379`). This reads the URL's structure (a userinfo password is present),
 * not what the password looks like.
 */
export function hasUrlCredentials(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
  try {
    return new URL(value).password !== "";
  } catch {
    return false;
  }
}

/** Secrets Manager secret ARN, as ECS `secrets[].valueFrom` and `repositoryCredentials` accept it. */
export const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

/** SSM Parameter Store reference: a parameter ARN, or a bare name that ECS resolves in the task's region. */
export const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/.+$/;

export type SecretSource = "secretsmanager" | "ssm" | "other";

export function secretSource(valueFrom: string): SecretSource {
  if (SECRETS_MANAGER_ARN.test(valueFrom)) return "secretsmanager";
  if (SSM_PARAMETER_ARN.test(valueFrom) || (!valueFrom.startsWith("arn:") && /^\/?[A-Za-z0-9_.\-/]+$/.test(valueFrom))) return "ssm";
  return "other";
}
