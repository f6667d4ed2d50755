import { z } from "zod";

/**
 * Other ActivePieces settings (SMTP, sign-up, flow timeouts, edition and licence, SSRF allow list,
 * ...) and existing secrets. Values are plain strings; secrets are Secrets Manager references
 * only, never literals. Which role receives a variable is decided by the plan from the release's
 * known variables (contract/known-variables.ts).
 */

const NAME = /^[A-Z_][A-Z0-9_]*$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

const name = z.string().regex(NAME, { error: "expected an environment variable name such as AP_SMTP_HOST" });
export const secretArn = z.string().regex(SECRET_ARN, {
  error: "expected a Secrets Manager secret ARN such as arn:aws:secretsmanager:us-east-1:123456789012:secret:smtp-AbC123",
});

const extraEnv = z.record(name, z.string({ error: "expected a string value (quote numbers and booleans)" }));
const extraSecrets = z.record(
  name,
  z.union(
    [
      secretArn,
      z.strictObject({
        arn: secretArn.describe("Secrets Manager secret ARN."),
        key: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+$/, { error: "expected a JSON key such as password" })
          .describe("JSON key inside the secret's value."),
      }),
    ],
    { error: "expected a Secrets Manager ARN, or { arn, key } for one JSON key of the secret" },
  ),
);

export const ExtraEnvSchema = extraEnv
  .default({})
  .describe("Other ActivePieces settings as NAME: value (plain, non-secret); each goes to the roles whose release reads it.");
export const ExtraSecretsSchema = extraSecrets
  .default({})
  .describe("Secret settings as NAME: Secrets Manager ARN (or { arn, key }); each goes to the roles whose release reads it, and only they may read the ARN.");

const roleOverride = (role: string) =>
  z
    .strictObject({
      extraEnv: extraEnv.optional().describe(`Plain settings for the ${role} only (replace a routed value of the same name).`),
      extraSecrets: extraSecrets.optional().describe(`Secret settings (Secrets Manager ARNs) for the ${role} only.`),
    })
    .optional()
    .describe(`Settings for the ${role} only, set whether or not the release is known to read them.`);

export const RoleOverridesSchema = z
  .strictObject({
    app: roleOverride("app"),
    worker: roleOverride("workers"),
  })
  .default({})
  .describe("Per-role extraEnv and extraSecrets that override the routing by release.");

export const ExistingSecretsSchema = z
  .strictObject({
    encryptionKey: secretArn.optional().describe("Existing AP_ENCRYPTION_KEY (32 hex characters) to keep stored connections readable."),
    jwtSecret: secretArn.optional().describe("Existing AP_JWT_SECRET; requires workerToken, which must be signed with it."),
    workerToken: secretArn.optional().describe("Existing AP_WORKER_TOKEN."),
  })
  .default({})
  .describe("Secrets of an existing installation to use instead of generating new ones (migrations).");

export type ExtraSecretValue = z.output<typeof ExtraSecretsSchema>[string];
