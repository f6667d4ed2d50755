import { afterEach, describe, expect, it, vi } from "vitest";
import { ecsStack, eksStack } from "./baseline";
import { SECRET_SIG, SIG, UNKNOWN, check, edit, editContainers, expectOne, secret, setEnv } from "./support";

/**
 * Class 1: names are weak evidence. A literal environment value is judged by three kinds of
 * evidence: the engine's own secret marking (ciphertext in an export), where the value comes from,
 * and its name, graded strong or weak. Every case runs through the analyzer like `pulumi preview`.
 */
const TD = 'Container "app" of aws:ecs/taskDefinition:TaskDefinition "ap-app"';
const ECS_FIX = "move it from `environment` to the container's `secrets` with `valueFrom` set to a Secrets Manager secret ARN";
const LAMBDA = 'aws:lambda/function:Function "ap-queue-metric"';
const LAMBDA_FIX =
  "store it in Secrets Manager and read it at runtime (the AWS Parameters and Secrets Lambda Extension or the SDK), passing only the secret ARN in the environment";
const FIX_UNKNOWN = "Fix: re-run the check once the value is known (after `pulumi up`, or with `pulumi stack export --show-secrets`).";
const sorted = (v: readonly { enforcementLevel: string; message: string }[]) => v.map((x) => `${x.enforcementLevel}: ${x.message}`).sort();
const ciphertext = (c = "v1:Zm9vYmFy:c2VjcmV0LXZhbHVl") => ({ [SIG]: SECRET_SIG, ciphertext: c });

function withAppEnv(...vars: [string, string][]) {
  return editContainers(ecsStack(), "ap-app", ([app]) => {
    for (const [n, v] of vars) setEnv(app!, n, v);
  });
}

function withLambdaEnv(vars: Record<string, unknown>) {
  return edit(ecsStack(), "aws:lambda/function:Function", "ap-queue-metric", (p) => {
    Object.assign((p.environment as { variables: Record<string, unknown> }).variables, vars);
  });
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("strong name evidence is a mandatory violation", () => {
  it.each([
    ["DB_PASS", "PASS"],
    ["SMTP_PWD", "PWD"],
    ["PGPASSWORD", "PASSWORD"],
    ["MYSQL_ROOT_PASSWORD", "PASSWORD"],
    ["dbPassword", "PASSWORD"],
    ["MAILGUN_APIKEY", "APIKEY"],
    ["STRIPE_API_KEY", "API_KEY"],
    ["OPENAI_SECRET_KEY", "SECRET"],
    ["OAUTH_CLIENT_SECRET", "SECRET"],
    ["AWS_SECRET_ACCESS_KEY", "SECRET"],
    ["MINIO_ACCESS_KEY", "ACCESS_KEY"],
    ["SIGNING_PRIVATE_KEY", "PRIVATE_KEY"],
    ["SENTRY_AUTH_TOKEN", "AUTH_TOKEN"],
    ["GITHUB_ACCESS_TOKEN", "ACCESS_TOKEN"],
    ["SLACK_BOT_TOKEN", "BOT_TOKEN"],
    ["SESSION_ENCRYPTION_KEY", "ENCRYPTION_KEY"],
    ["GOOGLE_CREDENTIALS", "CREDENTIALS"],
    ["DB_CREDS", "CREDS"],
    ["AP_WORKER_TOKEN", "AP_WORKER_TOKEN, an ActivePieces secret"],
  ])("%s (%s)", async (name, why) => {
    const v = await check(withAppEnv([name, "value-1"]));
    expectOne(v, "disallow-plaintext-secret-env", "");
    expect(v[0]!.message).toBe(`${TD} sets ${name} as a literal environment value, and its name marks a secret (${why}). Fix: ${ECS_FIX}.`);
  });
});

describe("weak name evidence alone is advisory", () => {
  it.each([
    ["STRIPE_KEY", "KEY"],
    ["GITHUB_TOKEN", "TOKEN"],
    ["REDIS_AUTH", "AUTH"],
    ["TOKEN", "TOKEN"],
  ])("%s (only %s)", async (name, word) => {
    const v = await check(withAppEnv([name, "value-1"]));
    expectOne(v, "disallow-plaintext-secret-env", "", "advisory");
    expect(v[0]!.message).toBe(
      `Cannot verify that ${name} of container "app" of aws:ecs/taskDefinition:TaskDefinition "ap-app" holds no secret: it is set as a literal environment value and its name only says ${word}, which names secrets and non-secrets alike (weak evidence). Fix: if it is a secret, ${ECS_FIX}; if it is not, list it in this policy's \`allowNames\`.`,
    );
  });

  it("a GitHub token in a Lambda environment is advisory by name alone, mandatory once the program marked it secret", async () => {
    expectOne(await check(withLambdaEnv({ GITHUB_TOKEN: "ghp_x" })), "disallow-plaintext-secret-env", `${LAMBDA} holds no secret`, "advisory");
    const v = await check(withLambdaEnv({ GITHUB_TOKEN: ciphertext() }));
    expectOne(v, "disallow-plaintext-secret-env", "");
    expect(v[0]!.message).toBe(
      `${LAMBDA} sets GITHUB_TOKEN as a literal environment value, and the program marked its value secret (it is encrypted in this stack export). Fix: ${LAMBDA_FIX}.`,
    );
  });
});

describe("names that only look secret are not evidence", () => {
  it.each([
    "CACHE_KEY",
    "REDIS_CACHE_KEY",
    "DYNAMO_PARTITION_KEY",
    "SORT_KEY",
    "S3_OBJECT_KEY",
    "IDEMPOTENCY_KEY",
    "KMS_KEY_ID",
    "KMS_KEY_ARN",
    "OPENAI_MAX_TOKENS",
    "MAX_TOKENS",
    "TOKEN_LIMIT",
    "SUMMARY_TOKEN_LIMIT",
    "NEXT_PAGE_TOKEN",
    "STRIPE_PUBLISHABLE_KEY",
    "JWT_PUBLIC_KEY",
    "NEXT_PUBLIC_STRIPE_KEY",
    "RECAPTCHA_SITE_KEY",
    "PASSWORD_MIN_LENGTH",
    "ENABLE_PASSWORD_AUTH",
    "AUTH_URL",
    "OAUTH_CLIENT_ID",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "PWD",
    "BYPASS_CACHE",
    "COMPASS_URL",
    "PASSPORT_STRATEGY",
    "SECRETS_MANAGER_ENDPOINT",
    "KEYCLOAK_REALM",
    "TOKENIZER_PATH",
    "AUTHOR_NAME",
    "DB_PASSWORD_SECRET_ARN",
    "JWT_SECRET_ROTATION_DAYS",
    "API_KEY_HEADER",
  ])("%s", async (name) => {
    expect(await check(withAppEnv([name, "value-1"]))).toEqual([]);
  });
});

describe("an access key id: not a secret, but a sign of one beside it", () => {
  const KEY_ID_WHY =
    "it is set as a literal environment value and names an access key id, which is not secret itself but belongs to a long-lived IAM access key whose secret half must not be literal either (weak evidence)";
  const KEY_ID_FIX =
    "Fix: give the workload an IAM role (ECS task role, IRSA or EKS Pod Identity, Lambda execution role) instead of access keys; if the key pair must stay, keep both halves in Secrets Manager.";

  it("AWS_ACCESS_KEY_ID alone is advisory", async () => {
    const v = await check(withAppEnv(["AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"]));
    expectOne(v, "disallow-plaintext-secret-env", "", "advisory");
    expect(v[0]!.message).toBe(
      `Cannot verify that AWS_ACCESS_KEY_ID of container "app" of aws:ecs/taskDefinition:TaskDefinition "ap-app" holds no secret: ${KEY_ID_WHY}. ${KEY_ID_FIX}`,
    );
  });

  it("turns a weakly named key with the same prefix into a mandatory violation", async () => {
    const v = await check(
      withAppEnv(["AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"], ["AWS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"], ["STRIPE_KEY", "sk_x"]),
    );
    expect(sorted(v)).toEqual(
      sorted([
        {
          enforcementLevel: "mandatory",
          message: `${TD} sets AWS_KEY as a literal environment value, and its name says KEY beside the access key id AWS_ACCESS_KEY_ID, so it reads as that key's secret half. Fix: ${ECS_FIX}.`,
        },
        {
          enforcementLevel: "advisory",
          message: `Cannot verify that AWS_ACCESS_KEY_ID of container "app" of aws:ecs/taskDefinition:TaskDefinition "ap-app" holds no secret: ${KEY_ID_WHY}. ${KEY_ID_FIX}`,
        },
        // A different prefix is not the key id's partner: STRIPE_KEY stays weak.
        {
          enforcementLevel: "advisory",
          message: `Cannot verify that STRIPE_KEY of container "app" of aws:ecs/taskDefinition:TaskDefinition "ap-app" holds no secret: it is set as a literal environment value and its name only says KEY, which names secrets and non-secrets alike (weak evidence). Fix: if it is a secret, ${ECS_FIX}; if it is not, list it in this policy's \`allowNames\`.`,
        },
      ]),
    );
  });
});

describe("the engine's secret marking is the strongest evidence", () => {
  it("a value the program marked secret in a literal variable is mandatory whatever its name", async () => {
    for (const name of ["QUEUE_CONNECTION", "CACHE_KEY"]) {
      const v = await check(withLambdaEnv({ [name]: ciphertext() }));
      expectOne(v, "disallow-plaintext-secret-env", "");
      expect(v[0]!.message).toBe(
        `${LAMBDA} sets ${name} as a literal environment value, and the program marked its value secret (it is encrypted in this stack export). Fix: ${LAMBDA_FIX}.`,
      );
    }
  });

  it("also in a Kubernetes container's env value", async () => {
    const v = await check(
      edit(eksStack(), "kubernetes:apps/v1:Deployment", "ap-app", (p) => {
        const c = (p.spec as { template: { spec: { containers: { env: unknown[] }[] } } }).template.spec.containers[0]!;
        c.env.push({ name: "AP_FRONTEND_URL", value: ciphertext() });
      }),
    );
    expectOne(v, "disallow-plaintext-secret-env", "");
    expect(v[0]!.message).toBe(
      'Container "app" of kubernetes:apps/v1:Deployment "ap-app" sets AP_FRONTEND_URL as a literal environment value, and the program marked its value secret (it is encrypted in this stack export). Fix: replace `value` with `valueFrom.secretKeyRef` on a Secret synced from Secrets Manager (External Secrets Operator or the Secrets Store CSI driver).',
    );
  });

  it("combines with name evidence in one message", async () => {
    const v = await check(withLambdaEnv({ DB_PASSWORD: ciphertext() }));
    expectOne(
      v,
      "disallow-plaintext-secret-env",
      `${LAMBDA} sets DB_PASSWORD as a literal environment value, and its name marks a secret (PASSWORD), and the program marked its value secret (it is encrypted in this stack export).`,
    );
  });

  it("allowNames relaxes name evidence only, never the engine's marking or a URL with a password", async () => {
    const config = { "disallow-plaintext-secret-env": { allowNames: ["CACHE_*", "DB_PASSWORD", "AP_REDIS_URL"] } };
    expectOne(await check(withLambdaEnv({ CACHE_KEY: ciphertext() }), config), "disallow-plaintext-secret-env", "the program marked its value secret");
    expect(await check(withLambdaEnv({ DB_PASSWORD: "x" }), config)).toEqual([]);
    expectOne(
      await check(withAppEnv(["AP_REDIS_URL", "rediss://:s3cr3t@master.ap.cache.amazonaws.com:6379"]), config),
      "disallow-plaintext-secret-env",
      "sets AP_REDIS_URL to a URL that carries a password",
    );
  });

  it("known limit: with --show-secrets the marking is gone before policies run, so a harmless name passes", async () => {
    // @pulumi/policy unwraps secrets before a policy sees them (pulumi-policy#241); README: "Known limits".
    expect(await check(withLambdaEnv({ QUEUE_CONNECTION: secret("amqps://queue.internal:5671") }))).toEqual([]);
  });
});

describe("during preview an unknown value is not evidence of a secret", () => {
  it("gives one advisory for the container's unknown values; a strong name stays mandatory", async () => {
    vi.stubEnv("PULUMI_DRY_RUN", "true");
    const v = await check(withLambdaEnv({ QUEUE_CONNECTION: UNKNOWN, DB_PASSWORD: UNKNOWN, METRIC_NAMESPACE: UNKNOWN }));
    expect(v.every((x) => x.policy === "disallow-plaintext-secret-env")).toBe(true);
    expect(sorted(v)).toEqual(
      sorted([
        {
          enforcementLevel: "mandatory",
          message: `${LAMBDA} sets DB_PASSWORD as a literal environment value, and its name marks a secret (PASSWORD). Fix: ${LAMBDA_FIX}.`,
        },
        {
          enforcementLevel: "advisory",
          message: `Cannot verify METRIC_NAMESPACE, QUEUE_CONNECTION of ${LAMBDA}: their values are not known during preview, so the pack cannot tell whether the program put a secret there. ${FIX_UNKNOWN}`,
        },
      ]),
    );
  });

  it("the engine's PULUMI_NODEJS_DRY_RUN works the same", async () => {
    vi.stubEnv("PULUMI_NODEJS_DRY_RUN", "true");
    const v = await check(withLambdaEnv({ QUEUE_CONNECTION: UNKNOWN }));
    expectOne(v, "disallow-plaintext-secret-env", `Cannot verify QUEUE_CONNECTION of ${LAMBDA}: its value is not known during preview`, "advisory");
  });
});
