/**
 * Which names mark a secret, how strongly, and where a secret may come from. Shared by the policy
 * pack (which grades literal environment values and ConfigMap keys by these names) and the program
 * (which must put secret names in ECS `secrets` / Kubernetes `secretKeyRef`, never in `environment`).
 *
 * A name is weak evidence: `STRIPE_KEY` is a secret, `CACHE_KEY` is not. So names are graded:
 * strong words (`PASSWORD`, `API_KEY`, ...) mark a secret; `KEY`, `TOKEN` or `AUTH` alone only
 * suggest one; qualifiers and endings that make a name public, a count or a reference to a secret
 * (`PUBLIC_KEY`, `MAX_TOKENS`, `DB_PASSWORD_SECRET_ARN`) are no evidence at all. Words are matched
 * on word boundaries (`_`, `-`, `.`, camelCase), so `BYPASS` is not `PASS` and `PASSPORT` is not a
 * password. policies/README.md ("Secret detection") explains how names combine with other evidence.
 *
 * ActivePieces' own secret variables: https://www.activepieces.com/docs/install/configuration/environment-variables
 */

/** ActivePieces variables that are secrets even though their names carry no strong word. */
export const ACTIVEPIECES_SECRET_NAMES: readonly string[] = [
  "AP_ENCRYPTION_KEY",
  "AP_JWT_SECRET",
  "AP_POSTGRES_PASSWORD",
  "AP_REDIS_PASSWORD",
  "AP_WORKER_TOKEN",
  "AP_API_KEY",
  "AP_QUEUE_UI_PASSWORD",
];

/** Words that hold a secret wherever they stand in a name: `DB_PASSWORD`, `CLIENT_SECRET`, `SECRET_KEY_BASE`. */
export const STRONG_WORDS: readonly string[] = ["PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "CREDENTIAL", "CREDENTIALS"];

/** Words that hold a secret when they end a qualified name (`DB_PASS`, `SMTP_PWD`, `AWS_CREDS`); alone, `PWD` is the working directory. */
export const STRONG_LAST_WORDS: readonly string[] = ["PASS", "PWD", "PW", "CREDS"];

/** Word pairs that hold a secret (`STRIPE_API_KEY`, `SENTRY_AUTH_TOKEN`); also matched as one word (`MAILGUN_APIKEY`). */
export const STRONG_PAIRS: readonly string[] = [
  "PRIVATE_KEY",
  "API_KEY",
  "ACCESS_KEY",
  "SECRET_KEY",
  "ENCRYPTION_KEY",
  "SIGNING_KEY",
  "MASTER_KEY",
  "HMAC_KEY",
  "JWT_KEY",
  "TLS_KEY",
  "SSL_KEY",
  "SSH_KEY",
  "DEPLOY_KEY",
  "LICENSE_KEY",
  "ACCOUNT_KEY",
  "AUTH_TOKEN",
  "ACCESS_TOKEN",
  "REFRESH_TOKEN",
  "API_TOKEN",
  "BEARER_TOKEN",
  "SESSION_TOKEN",
  "BOT_TOKEN",
  "OAUTH_TOKEN",
];

/** Words that name secrets and non-secrets alike (`STRIPE_KEY`/`CACHE_KEY`, `GITHUB_TOKEN`/`NEXT_TOKEN`, `REDIS_AUTH`): weak evidence when they end a name. */
export const WEAK_LAST_WORDS: readonly string[] = ["KEY", "TOKEN", "AUTH"];

/** Qualifiers right before `KEY`/`TOKEN` that make it no secret: data keys, public keys, pagination, counts. */
export const NON_SECRET_QUALIFIERS: readonly string[] = [
  "CACHE",
  "PARTITION",
  "SORT",
  "HASH",
  "RANGE",
  "PRIMARY",
  "FOREIGN",
  "ROUTING",
  "IDEMPOTENCY",
  "DEDUP",
  "DEDUPLICATION",
  "LOCK",
  "OBJECT",
  "S3",
  "BUCKET",
  "KMS",
  "SHARD",
  "LOOKUP",
  "SITE",
  "NEXT",
  "PAGE",
  "PAGINATION",
  "CONTINUATION",
  "CANCEL",
  "CANCELLATION",
  "MAX",
  "MIN",
  "NUM",
  "TOTAL",
];

/** Words anywhere before `KEY`/`TOKEN` (or `API_KEY`) that say it is public by design: `JWT_PUBLIC_KEY`, `NEXT_PUBLIC_STRIPE_KEY`. */
export const PUBLIC_QUALIFIERS: readonly string[] = ["PUBLIC", "PUBLISHABLE", "PUB"];

/**
 * Last words that make a name refer to a secret or describe it instead of holding it
 * (`DB_PASSWORD_SECRET_ARN`, `POSTGRES_PASSWORD_FILE`, `JWT_TOKEN_EXPIRY`, `TOKEN_LIMIT`, `API_KEY_HEADER`).
 */
export const NON_SECRET_LAST_WORDS: readonly string[] = [
  "ARN",
  "FILE",
  "PATH",
  "DIR",
  "NAME",
  "ID",
  "REF",
  "URL",
  "URI",
  "ENDPOINT",
  "HOST",
  "HOSTNAME",
  "PORT",
  "REGION",
  "LOCATION",
  "PARAMETER",
  "PARAM",
  "FIELD",
  "HEADER",
  "PREFIX",
  "SUFFIX",
  "USER",
  "USERNAME",
  "ENABLED",
  "ENABLE",
  "DISABLED",
  "REQUIRED",
  "MODE",
  "TYPE",
  "FORMAT",
  "ALGORITHM",
  "ALG",
  "VERSION",
  "PROVIDER",
  "POLICY",
  "STRATEGY",
  "STORE",
  "BACKEND",
  "SOURCE",
  "ISSUER",
  "AUDIENCE",
  "SCOPE",
  "SCOPES",
  "EXPIRY",
  "EXPIRATION",
  "TTL",
  "TIMEOUT",
  "INTERVAL",
  "ROTATION",
  "DAYS",
  "HOURS",
  "MINUTES",
  "SECONDS",
  "MS",
  "LENGTH",
  "LIMIT",
  "COUNT",
  "SIZE",
  "MAX",
  "MIN",
  "BUDGET",
];

/** First words that make a name a switch about secrets, not a secret: `ENABLE_PASSWORD_AUTH`, `USE_SECRETS_MANAGER`. */
export const SETTING_FIRST_WORDS: readonly string[] = [
  "ALLOW",
  "ENABLE",
  "ENABLED",
  "DISABLE",
  "DISABLED",
  "USE",
  "REQUIRE",
  "SKIP",
  "IS",
  "HAS",
  "NO",
  "FORCE",
  "SHOW",
  "HIDE",
  "ROTATE",
];

/** Whole names that look secret but are not: the GCP key file's path, the shell's working directory. */
export const NON_SECRET_NAMES: readonly string[] = ["GOOGLE_APPLICATION_CREDENTIALS", "PWD", "OLDPWD"];

export type NameGrade = "strong" | "weak";

export interface NameEvidence {
  readonly grade: NameGrade;
  /** What in the name gave it away, for messages: `PASSWORD`, `API_KEY`, `KEY`. */
  readonly word: string;
  /**
   * Set for an access key id (`AWS_ACCESS_KEY_ID`): not secret itself (it shows in logs and
   * CloudTrail), but the id of a long-lived IAM key whose secret half is usually passed beside
   * it. `prefix` is what comes before it (`AWS`), to find that partner.
   */
  readonly accessKeyId?: { readonly prefix: string };
}

const set = (words: readonly string[]) => new Set(words);
const STRONG = set(STRONG_WORDS);
const STRONG_LAST = set(STRONG_LAST_WORDS);
const PAIRS = set(STRONG_PAIRS);
const JOINED_PAIRS = new Map(STRONG_PAIRS.map((p) => [p.replace("_", ""), p]));
const WEAK_LAST = set(WEAK_LAST_WORDS);
const NON_SECRET_QUALIFIER = set(NON_SECRET_QUALIFIERS);
const PUBLIC = set(PUBLIC_QUALIFIERS);
const NON_SECRET_LAST = set(NON_SECRET_LAST_WORDS);
const SETTING_FIRST = set(SETTING_FIRST_WORDS);
const NON_SECRET_NAME = set(NON_SECRET_NAMES);
const ACTIVEPIECES = set(ACTIVEPIECES_SECRET_NAMES);
/** Strong words also found at the end of one run-together word: `PGPASSWORD`, `CLIENTSECRET`, `OPENAIAPIKEY`. */
const SUFFIXES = [...STRONG_WORDS.filter((w) => w.length >= 6), ...JOINED_PAIRS.keys()].sort((a, b) => b.length - a.length);

/**
 * File extensions a ConfigMap key may end with (`password-policy.json`): the base name says what
 * the file holds. `.key` is not among them: `tls.key` is a private key.
 */
export const FILE_EXTENSIONS: readonly string[] = [
  "json",
  "yaml",
  "yml",
  "toml",
  "ini",
  "conf",
  "cfg",
  "config",
  "properties",
  "xml",
  "txt",
  "csv",
  "env",
  "tpl",
  "tmpl",
  "template",
  "html",
  "md",
  "sql",
  "sh",
  "py",
  "js",
  "lua",
  "pem",
  "crt",
  "cer",
];
const EXTENSION = new RegExp(`\\.(?:${FILE_EXTENSIONS.join("|")})$`, "i");

/** `dbPassword`, `db-password`, `stripe.apiKey`, `DB_PASSWORD`, `db-password.txt` -> words in upper case. */
export function nameWords(name: string): string[] {
  const base = name.includes(".") ? name.replace(EXTENSION, "") : name;
  const split = /[a-z]/.test(base) ? base.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2") : base;
  return split
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== "");
}

/** `KEYS` -> `KEY`: plural forms of the words above, so `API_KEYS` grades like `API_KEY`. */
function singular(w: string): string {
  return w === "KEYS" || w === "TOKENS" || w === "SECRETS" || w === "PASSWORDS" ? w.slice(0, -1) : w;
}

const keyLike = (w: string) => w.endsWith("KEY") || w.endsWith("TOKEN");

function grade(name: string): NameEvidence | undefined {
  const raw = nameWords(name);
  const n = raw.length;
  if (n === 0) return undefined;
  const joined = raw.join("_");
  if (NON_SECRET_NAME.has(joined)) return undefined;
  const keyId = /^(?:(.*)_)?ACCESS_?KEY_?ID$/.exec(joined);
  if (keyId) return { grade: "weak", word: "ACCESS_KEY_ID", accessKeyId: { prefix: keyId[1] ?? "" } };
  const last = raw[n - 1]!;
  if (NON_SECRET_LAST.has(last) || (last === "IN" && raw[n - 2] === "EXPIRES")) return undefined;
  if (n > 1 && SETTING_FIRST.has(raw[0]!)) return undefined;
  const w = raw.map(singular);
  const publicBefore = (i: number) => raw.slice(0, i).some((x) => PUBLIC.has(x));
  for (let i = 0; i < n; i++) {
    const word = w[i]!;
    if (STRONG.has(word)) {
      if (word === "SECRET" && w[i + 1] === "MANAGER") continue; // the AWS service, not a secret
      return { grade: "strong", word };
    }
    const pair = i + 1 < n ? `${word}_${w[i + 1]}` : "";
    if (PAIRS.has(pair) && !(publicBefore(i) || NON_SECRET_QUALIFIER.has(w[i - 1] ?? ""))) return { grade: "strong", word: pair };
    const suffix = SUFFIXES.find((s) => word.endsWith(s));
    if (suffix && !(keyLike(suffix) && publicBefore(i))) return { grade: "strong", word: suffix };
    if (i === n - 1 && i > 0 && STRONG_LAST.has(word)) return { grade: "strong", word };
  }
  if (ACTIVEPIECES.has(joined)) return { grade: "strong", word: `${joined}, an ActivePieces secret` };
  const lastWord = w[n - 1]!;
  if (!WEAK_LAST.has(lastWord)) return undefined;
  if (NON_SECRET_QUALIFIER.has(w[n - 2] ?? "")) return undefined;
  if (lastWord !== "AUTH" && publicBefore(n - 1)) return undefined;
  return { grade: "weak", word: lastWord };
}

// Names repeat across containers and stacks (20,000-resource exports); grading is pure, so remember it.
const graded = new Map<string, NameEvidence | null>();

/** How strongly a variable or key name says it holds a secret, or undefined when it does not. */
export function secretNameEvidence(name: string): NameEvidence | undefined {
  let e = graded.get(name);
  if (e === undefined) {
    if (graded.size > 50_000) graded.clear();
    e = grade(name) ?? null;
    graded.set(name, e);
  }
  return e ?? undefined;
}

/** True when a variable with this name must not hold a literal value (strong name evidence). */
export function isSecretName(name: string): boolean {
  return secretNameEvidence(name)?.grade === "strong";
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

/** The parameter name an SSM reference points at, without the leading `/` ARNs drop: `arn:...:parameter/ap/token` and `/ap/token` -> `ap/token`. */
export function ssmParameterKey(reference: string): string {
  const i = SSM_PARAMETER_ARN.test(reference) ? reference.indexOf(":parameter/") + ":parameter/".length : 0;
  return reference.slice(i).replace(/^\/+/, "");
}

/** SSM parameter types whose value SSM stores and returns in plaintext. */
export const PLAINTEXT_SSM_TYPES: readonly string[] = ["String", "StringList"];
