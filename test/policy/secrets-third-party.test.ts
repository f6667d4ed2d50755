import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkStackExport, type Violation } from "../../policies/engine/check";

/**
 * Hand-made `pulumi stack export` documents of other teams' programs (test/fixtures/third-party/):
 * a serverless API (zip and image Lambdas), ActivePieces on EKS with ConfigMaps and a program-made
 * Secret, and an ECS service that reads its secrets from SSM Parameter Store. Secrets are
 * ciphertext, as `pulumi stack export` without `--show-secrets` writes them.
 */
const load = (name: string): unknown => JSON.parse(readFileSync(path.join(__dirname, "../fixtures/third-party", name), "utf8")) as unknown;

/** The policies these fixtures exercise; other policies of the pack are judged elsewhere. */
const JUDGED = new Set([
  "disallow-plaintext-secret-env",
  "require-secrets-manager-references",
  "disallow-kubernetes-literal-secret",
  "disallow-kubernetes-configmap-secret",
  "require-pinned-image",
  "limit-postgres-connections",
  "limit-workers-per-app",
  "require-same-image-app-worker",
]);

type Row = [policy: string, level: string, resource: string, message: string];
const rows = (v: readonly Violation[]): Row[] =>
  v
    .filter((x) => JUDGED.has(x.policy))
    .map((x): Row => [x.policy, x.enforcementLevel, x.urn.slice(x.urn.lastIndexOf("::") + 2), x.message])
    .sort((a, b) => a.join("|").localeCompare(b.join("|")));

const LAMBDA_FIX =
  "Fix: store it in Secrets Manager and read it at runtime (the AWS Parameters and Secrets Lambda Extension or the SDK), passing only the secret ARN in the environment.";

describe("a serverless team's export (Lambda functions)", () => {
  it("judges each variable of a function on its own, grades names, and asks only image functions for an image", async () => {
    const { violations } = await checkStackExport(load("serverless-functions.json"));
    expect(rows(violations)).toEqual([
      [
        "disallow-plaintext-secret-env",
        "advisory",
        "legacy-mailer",
        `Cannot verify that REDIS_AUTH of aws:lambda/function:Function "legacy-mailer" holds no secret: it is set as a literal environment value and its name only says AUTH, which names secrets and non-secrets alike (weak evidence). Fix: if it is a secret, store it in Secrets Manager and read it at runtime (the AWS Parameters and Secrets Lambda Extension or the SDK), passing only the secret ARN in the environment; if it is not, list it in this policy's \`allowNames\`.`,
      ],
      [
        "disallow-plaintext-secret-env",
        "mandatory",
        "ingest",
        `aws:lambda/function:Function "ingest" sets DATABASE_URL as a literal environment value, and the program marked its value secret (it is encrypted in this stack export). ${LAMBDA_FIX}`,
      ],
      [
        "disallow-plaintext-secret-env",
        "mandatory",
        "ingest",
        `aws:lambda/function:Function "ingest" sets SLACK_BOT_TOKEN as a literal environment value, and its name marks a secret (BOT_TOKEN). ${LAMBDA_FIX}`,
      ],
      [
        "disallow-plaintext-secret-env",
        "mandatory",
        "legacy-mailer",
        `aws:lambda/function:Function "legacy-mailer" sets DB_PASS as a literal environment value, and its name marks a secret (PASS). ${LAMBDA_FIX}`,
      ],
      [
        "disallow-plaintext-secret-env",
        "mandatory",
        "legacy-mailer",
        `aws:lambda/function:Function "legacy-mailer" sets MAILGUN_APIKEY as a literal environment value, and its name marks a secret (APIKEY). ${LAMBDA_FIX}`,
      ],
      [
        "disallow-plaintext-secret-env",
        "mandatory",
        "legacy-mailer",
        `aws:lambda/function:Function "legacy-mailer" sets SMTP_PWD as a literal environment value, and its name marks a secret (PWD). ${LAMBDA_FIX}`,
      ],
      [
        "require-pinned-image",
        "mandatory",
        "renderer",
        'Lambda function "renderer" runs image "345678901234.dkr.ecr.us-east-1.amazonaws.com/orders-renderer:latest", which uses the `latest` tag. Fix: pin a release tag or a digest (`image@sha256:...`).',
      ],
    ]);
  });
});

describe("a team running ActivePieces on EKS with ConfigMaps", () => {
  it("reads settings from ConfigMaps, flags secrets kept in them, and flags a Secret whose data is only ciphertext", async () => {
    const { violations } = await checkStackExport(load("eks-configmaps.json"));
    const configMapNote = "a ConfigMap is stored unencrypted and shown to anyone who may read ConfigMaps in its namespace";
    expect(rows(violations)).toEqual([
      [
        "disallow-kubernetes-configmap-secret",
        "mandatory",
        "mailer-settings",
        `ConfigMap "mailer-settings" holds SMTP_PASSWORD, and its name marks a secret (PASSWORD); ${configMapNote}. Fix: keep the value in a Secret synced from Secrets Manager (External Secrets Operator or the Secrets Store CSI driver) and read it with \`secretKeyRef\` or \`envFrom.secretRef\`.`,
      ],
      [
        "disallow-kubernetes-literal-secret",
        "mandatory",
        "flows-credentials",
        'Kubernetes Secret "flows-credentials" is created with literal data (it is encrypted in this stack export, so its keys cannot be listed). Fix: create an ExternalSecret (External Secrets Operator) or a SecretProviderClass (Secrets Store CSI driver) that syncs the value from Secrets Manager, and drop the Secret from the program.',
      ],
      [
        "disallow-plaintext-secret-env",
        "mandatory",
        "mailer",
        `Container "mailer" of kubernetes:apps/v1:Deployment "mailer" takes SMTP_PASSWORD from ConfigMap "mailer-settings" (key "SMTP_PASSWORD"), and its name marks a secret (PASSWORD); ${configMapNote}. Fix: keep the value in a Secret synced from Secrets Manager (External Secrets Operator or the Secrets Store CSI driver) and use \`valueFrom.secretKeyRef\`.`,
      ],
      [
        "limit-postgres-connections",
        "mandatory",
        "flows-db",
        'Postgres pools can open 160 connections at maximum scale ("ap-app" (4 pods at most, from its autoscaler maximum) x pool 40 = 160) but aws:rds/instance:Instance "flows-db" allows 198 (default max_connections of db.t4g.small) and the pools may use 80% = 158. Fix: lower AP_POSTGRES_POOL_SIZE or the maximum task count so the total stays at or below 158, or give the database a larger instance class or max_connections.',
      ],
    ]);
  });
});

describe("a team reading ECS secrets from SSM Parameter Store", () => {
  const where = 'Container "api" of task definition "billing-api" takes secrets';
  it("rejects every SSM reference by default", async () => {
    const { violations } = await checkStackExport(load("ecs-ssm-parameters.json"));
    expect(rows(violations).map(([p, l, r, m]) => [p, l, r, m.slice(0, m.indexOf(" Fix:"))])).toEqual([
      [
        "require-secrets-manager-references",
        "mandatory",
        "billing-api",
        `${where} "DB_PASSWORD" from SSM Parameter Store ("arn:aws:ssm:us-west-2:567890123456:parameter/billing/db-password").`,
      ],
      [
        "require-secrets-manager-references",
        "mandatory",
        "billing-api",
        `${where} "REPORTS_API_KEY" from SSM Parameter Store ("arn:aws:ssm:us-west-2:567890123456:parameter/shared/reports-api-key").`,
      ],
      [
        "require-secrets-manager-references",
        "mandatory",
        "billing-api",
        `${where} "STRIPE_SECRET_KEY" from SSM Parameter Store ("arn:aws:ssm:us-west-2:567890123456:parameter/billing/stripe-secret-key").`,
      ],
      ["require-secrets-manager-references", "mandatory", "billing-api", `${where} "WEBHOOK_TOKEN" from SSM Parameter Store ("billing-webhook-token").`],
    ]);
  });

  it("with SSM allowed, still rejects String parameters of the stack used as secrets (by ARN and by bare name)", async () => {
    const { violations } = await checkStackExport(load("ecs-ssm-parameters.json"), { "require-secrets-manager-references": { allowSsmParameters: true } });
    const fix = 'Fix: recreate the parameter with type "SecureString", or move the value to Secrets Manager and set `valueFrom` to the secret\'s ARN.';
    expect(rows(violations)).toEqual([
      [
        "require-secrets-manager-references",
        "mandatory",
        "billing-api",
        `${where} "DB_PASSWORD" from SSM parameter "/billing/db-password" (aws:ssm/parameter:Parameter "db-password"), a String parameter, which SSM stores and returns in plaintext. ${fix}`,
      ],
      [
        "require-secrets-manager-references",
        "mandatory",
        "billing-api",
        `${where} "WEBHOOK_TOKEN" from SSM parameter "billing-webhook-token" (aws:ssm/parameter:Parameter "webhook-token"), a String parameter, which SSM stores and returns in plaintext. ${fix}`,
      ],
    ]);
  });
});

describe("a team that keeps its secrets where they belong", () => {
  it("gets no message for cache keys, partition and sort keys, token limits, public and publishable keys, Secrets Manager references, secretKeyRef and envFrom", async () => {
    const { violations } = await checkStackExport(load("compliant-secrets.json"));
    expect(rows(violations)).toEqual([]);
  });
});
