import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../config";
import { closest, looksSecret } from "../../contract/extras";
import { knownVariables } from "../../contract/known-variables";
import { RELEASE_LINES } from "../../contract/lines";
import { plan } from "../../sizing/plan";

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:smtp-AbC123";
const base = { environment: "prod", region: "us-east-1", frontendUrl: "http://flows.example.com", peakConcurrentFlows: 10 };
const planWith = (extra: Record<string, unknown>, tag = "0.83.0") =>
  plan(parseStackConfig({ ...base, image: `activepieces/activepieces:${tag}`, ...extra }, "test"));

describe("extraEnv and extraSecrets are routed to the roles whose release reads them", () => {
  it("sends app settings to the app only, worker settings to workers, and non-AP variables to both", () => {
    const p = planWith({ extraEnv: { AP_SMTP_HOST: "smtp.example.com", AP_SSRF_ALLOW_LIST: "10.1.0.0/16", HTTP_PROXY: "http://proxy:3128" } });
    expect(p.extras.app.env).toEqual([
      { name: "AP_SMTP_HOST", value: "smtp.example.com" },
      { name: "AP_SSRF_ALLOW_LIST", value: "10.1.0.0/16" },
      { name: "HTTP_PROXY", value: "http://proxy:3128" },
    ]);
    // 0.82+ workers read AP_SSRF_ALLOW_LIST too (their egress checks), but not the app's SMTP settings.
    expect(p.extras.worker.env).toEqual([
      { name: "AP_SSRF_ALLOW_LIST", value: "10.1.0.0/16" },
      { name: "HTTP_PROXY", value: "http://proxy:3128" },
    ]);
  });

  it("on 0.79, where a worker runs the app's process, sends app settings to both", () => {
    const p = planWith({ extraEnv: { AP_SMTP_HOST: "smtp.example.com" } }, "0.79.0");
    expect(p.extras.worker.env).toEqual([{ name: "AP_SMTP_HOST", value: "smtp.example.com" }]);
  });

  it("routes secrets by ARN, optionally one JSON key", () => {
    const p = planWith({ extraSecrets: { AP_SMTP_PASSWORD: ARN, AP_GOOGLE_CLIENT_SECRET: { arn: ARN, key: "google" } } });
    expect(p.extras.app.secrets).toEqual([
      { name: "AP_SMTP_PASSWORD", arn: ARN },
      { name: "AP_GOOGLE_CLIENT_SECRET", arn: ARN, key: "google" },
    ]);
    expect(p.extras.worker.secrets).toEqual([]);
    expect(() => planWith({ extraSecrets: { AP_LICENCE_KEY: ARN } })).toThrow(/extraSecrets\.AP_LICENCE_KEY: is not read/);
  });

  it("lets a per-role override set a variable for one role only", () => {
    const p = planWith({
      extraEnv: { AP_SMTP_HOST: "a" },
      roleOverrides: { app: { extraEnv: { AP_SMTP_HOST: "b" } }, worker: { extraEnv: { AP_LOG_LEVEL: "debug" } } },
    });
    expect(p.extras.app.env).toEqual([{ name: "AP_SMTP_HOST", value: "b" }]);
    expect(p.extras.worker.env).toEqual([{ name: "AP_LOG_LEVEL", value: "debug" }]);
  });
});

describe("bad extra settings: one line naming the key", () => {
  it("refuses a secret-looking name in extraEnv, pointing at extraSecrets, without printing the value", () => {
    expect(() => planWith({ extraEnv: { AP_SMTP_PASSWORD: "hunter2" } })).toThrow(
      /extraEnv\.AP_SMTP_PASSWORD: looks like a secret; store it in Secrets Manager and set it under extraSecrets as its ARN \(got "\[hidden\]"\)/,
    );
    expect(() => planWith({ extraEnv: { AP_SMTP_PASSWORD: "hunter2" } })).not.toThrow(/hunter2/);
  });

  it("suggests the closest known name for an unknown AP_ variable", () => {
    expect(() => planWith({ extraEnv: { AP_SMTP_HOTS: "x" } })).toThrow(
      /extraEnv\.AP_SMTP_HOTS: is not read by ActivePieces 0\.82\.x and later; did you mean AP_SMTP_HOST\?/,
    );
  });

  it("refuses a variable the program sets", () => {
    expect(() => planWith({ extraEnv: { AP_POSTGRES_HOST: "elsewhere" } })).toThrow(/extraEnv\.AP_POSTGRES_HOST: is set by the program/);
    expect(() => planWith({ extraSecrets: { AP_JWT_SECRET: ARN } })).toThrow(/extraSecrets\.AP_JWT_SECRET: is set by the program/);
  });

  it("refuses an extraSecrets value that is not a Secrets Manager ARN", () => {
    expect(() => planWith({ extraSecrets: { AP_SMTP_PASSWORD: "hunter2" } })).toThrow(/extraSecrets\.AP_SMTP_PASSWORD: expected a Secrets Manager secret ARN/);
  });

  it("refuses a brought JWT secret without the worker token signed with it", () => {
    expect(() => planWith({ existingSecrets: { jwtSecret: ARN } })).toThrow(/existingSecrets\.workerToken: is required with existingSecrets\.jwtSecret/);
  });
});

describe("secret-name rule and known variables", () => {
  it.each([
    "AP_SMTP_PASSWORD",
    "AP_STRIPE_SECRET_KEY",
    "AP_GOOGLE_CLIENT_SECRET",
    "AP_APPSUMO_TOKEN",
    "AP_API_KEY",
    "AP_SENTRY_DSN",
    "AP_APP_WEBHOOK_SECRETS",
    "DB_PWD",
  ])("%s looks like a secret", (n) => expect(looksSecret(n)).toBe(true));
  it.each(["AP_SMTP_HOST", "AP_CLOUD_AUTH_ENABLED", "AP_API_RATE_LIMIT_AUTHN_MAX", "AP_MAX_TOKENS", "AP_SIGN_UP_ENABLED", "AP_FLOW_TIMEOUT_SECONDS"])(
    "%s does not",
    (n) => expect(looksSecret(n)).toBe(false),
  );

  it("every variable a contract sets for a role is one its release reads", () => {
    for (const line of RELEASE_LINES) {
      for (const role of ["app", "worker"] as const) {
        const known = knownVariables(line.line, role);
        expect(
          line.roles[role].reads.filter((n) => n.startsWith("AP_") && !known.has(n)),
          `${line.line} ${role}`,
        ).toEqual([]);
      }
    }
  });

  it("finds no hint for a name far from every known one", () => {
    expect(closest("AP_COMPLETELY_DIFFERENT_THING", knownVariables("0.82", "app"))).toBeUndefined();
  });
});
