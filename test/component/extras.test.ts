import { beforeAll, describe, expect, it } from "vitest";
import type { Capture } from "../../offline/capture";
import { captureStack, containers, planFor } from "../stack";

const SMTP = "arn:aws:secretsmanager:us-east-1:123456789012:secret:smtp-AbC123";
const KEY = "arn:aws:secretsmanager:us-east-1:123456789012:secret:old-encryption-key-XyZ789";
type Env = { name: string; value: string }[];
type Secrets = { name: string; valueFrom: string }[];

describe("extra settings and existing secrets on Fargate (prod)", () => {
  let cap: Capture;
  beforeAll(async () => {
    cap = await captureStack(
      planFor("prod", {
        extraEnv: { AP_SMTP_HOST: "smtp.example.com", AP_EXECUTION_DATA_RETENTION_DAYS: "30" },
        extraSecrets: { AP_SMTP_PASSWORD: { arn: SMTP, key: "password" } },
        existingSecrets: { encryptionKey: KEY },
      }),
    );
  });

  it("puts an extraEnv value in the app container, not in the workers'", () => {
    const app = Object.fromEntries((containers(cap, "-app-task")[0]!.environment as Env).map((e) => [e.name, e.value]));
    expect(app).toMatchObject({ AP_SMTP_HOST: "smtp.example.com", AP_EXECUTION_DATA_RETENTION_DAYS: "30" });
    const worker = (containers(cap, "-worker-task")[0]!.environment as Env).map((e) => e.name);
    expect(worker).not.toContain("AP_SMTP_HOST");
  });

  it("references an extra secret by ARN and JSON key, and lets only the app's execution role read it", () => {
    const secrets = containers(cap, "-app-task")[0]!.secrets as Secrets;
    expect(secrets).toContainEqual({ name: "AP_SMTP_PASSWORD", valueFrom: `${SMTP}:password::` });
    const appPolicy = JSON.parse(cap.one("aws:iam/rolePolicy:RolePolicy", "-app-exec-secrets").inputs.policy as string);
    expect(appPolicy.Statement[0].Resource).toContain(SMTP);
    const workerPolicy = JSON.parse(cap.one("aws:iam/rolePolicy:RolePolicy", "-worker-exec-secrets").inputs.policy as string);
    expect(workerPolicy.Statement[0].Resource).not.toContain(SMTP);
  });

  it("uses a brought encryption key as it is and generates none", () => {
    const secrets = containers(cap, "-app-task")[0]!.secrets as Secrets;
    expect(secrets).toContainEqual({ name: "AP_ENCRYPTION_KEY", valueFrom: KEY });
    expect(
      cap
        .ofType("random:index/randomPassword:RandomPassword")
        .map((r) => r.name)
        .filter((n) => n.endsWith("-encryption-key")),
    ).toEqual([]);
    expect(
      cap
        .ofType("aws:secretsmanager/secret:Secret")
        .map((r) => r.name)
        .filter((n) => n.endsWith("-encryption-key")),
    ).toEqual([]);
  });
});
