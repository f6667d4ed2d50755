import { describe, expect, it } from "vitest";
import { ConfigError } from "../../config/errors";
import { parseAnyStackConfig, parseStackConfig, rawFromStackFile } from "../../config/load";
import { isProfileConfig } from "../../config/profile-schema";

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests edit raw YAML
const langfuse = (): Raw => structuredClone(rawFromStackFile("examples/langfuse.yaml"));

function problemsOf(raw: Raw): { key: string; value: unknown; message: string }[] {
  try {
    parseAnyStackConfig(raw, "test");
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf";

describe("profile config", () => {
  it("decodes the examples to a profile config; an ActivePieces stack stays a StackConfig", () => {
    for (const f of ["langfuse", "membrane", "langfuse-eks", "membrane-eks"]) {
      const c = parseAnyStackConfig(rawFromStackFile(`examples/${f}.yaml`), f);
      expect(isProfileConfig(c), f).toBe(true);
    }
    const ap = parseAnyStackConfig(rawFromStackFile("Pulumi.prod.yaml"), "prod");
    expect(isProfileConfig(ap)).toBe(false);
    expect(ap).toEqual(parseStackConfig(rawFromStackFile("Pulumi.prod.yaml"), "prod"));
  });

  it("applies defaults: cooldowns 60/300, dbPoolSize 10, prod data defaults", () => {
    const c = parseAnyStackConfig(langfuse(), "t");
    if (!isProfileConfig(c)) throw new Error("expected a profile");
    expect(c.profile.roles.web!.scaling).toMatchObject({ scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300 });
    expect(c.profile.roles.web!.dbPoolSize).toBe(10);
    expect(c.database.multiAz).toBe(true);
    expect(c.network).toMatchObject({ natGateways: "perAz" });
  });

  it("accepts ActivePieces-only keys at their project default (Pulumi injects them) and refuses other values", () => {
    const raw = { ...langfuse(), workerConcurrency: 1, executionMode: "SANDBOX_CODE_ONLY" };
    expect(problemsOf(raw)).toEqual([]);
  });

  const cases: [string, (r: Raw) => void, string, RegExp][] = [
    ["no public role", (r) => (r.profile.roles.web.exposure = r.profile.roles["web-ingestion"].exposure = "internal"), "profile.roles", /no public role/],
    [
      "two public roles on one path and host",
      (r) => (r.profile.roles["web-ingestion"].exposure = { public: { path: "/" } }),
      "profile.roles.web-ingestion.exposure",
      /like role web/,
    ],
    ["internal role marked public", (r) => (r.profile.roles.web.neverPublic = true), "profile.roles.web.exposure", /internal role marked public/],
    ["min above max (prod)", (r) => (r.profile.roles.web.bounds.prod = { min: 5, max: 3 }), "profile.roles.web.bounds.prod.min", /above bounds.prod.max/],
    ["min above max (staging)", (r) => (r.profile.roles.worker.bounds.staging = { min: 2, max: 1 }), "profile.roles.worker.bounds.staging.min", /above/],
    ["connection to a missing role", (r) => r.profile.roles.web.connects.push("role:nope"), "profile.roles.web.connects.5", /not a role/],
    ["connection to postgres not enabled", (r) => (r.profile.data.postgres.enabled = false), "profile.roles.web.connects.0", /does not create/],
    ["connection to an unlisted bucket", (r) => r.profile.roles.web.connects.push("s3:nope"), "profile.roles.web.connects.5", /does not list/],
    ["connection to an undeclared external", (r) => r.profile.roles.web.connects.push("external:nope"), "profile.roles.web.connects.5", /does not declare/],
    ["a literal secret", (r) => (r.profile.roles.web.secrets.SALT = "hunter2"), "profile.roles.web.secrets.SALT", /Secrets Manager reference/],
    [
      "a literal external secret",
      (r) => (r.profile.data.external.clickhouse.secretArn = "clickhouse://u:p@h"),
      "profile.data.external.clickhouse.secretArn",
      /Secrets Manager/,
    ],
    [
      "prometheus scaling on Fargate",
      (r) => (r.profile.roles.worker.scaling = { mode: "prometheus", query: "up", threshold: 1, serverAddress: "http://prom:9090" }),
      "profile.roles.worker.scaling.mode",
      /needs platform eks/,
    ],
    ["not a Fargate size", (r) => (r.profile.roles.web.memory = 1024), "profile.roles.web.memory", /not a Fargate size/],
    ["an ActivePieces-only key", (r) => (r.image = "ghcr.io/activepieces/activepieces:0.83.0"), "image", /activepieces profile only/],
    ["an ActivePieces-only key off its default", (r) => (r.workersPerApp = 3), "workersPerApp", /activepieces profile only/],
    ["an unknown role key", (r) => (r.profile.roles.web.replicas = 3), "profile.roles.web.replicas", /unknown key/],
    [
      "queue scaling without Redis",
      (r) => ((r.profile.data.redis.enabled = false), (r.profile.roles.worker.connects = ["postgres"])),
      "profile.roles.worker.scaling.mode",
      /Redis/,
    ],
    ["a bad exposure", (r) => (r.profile.roles.web.exposure = "public"), "profile.roles.web.exposure", /internal/],
  ];

  it.each(cases)("%s -> names the key", (_what, edit, key, message) => {
    const raw = langfuse();
    edit(raw);
    const found = problemsOf(raw).find((p) => p.key === key);
    expect(found, JSON.stringify(problemsOf(raw))).toBeDefined();
    expect(found!.message).toMatch(message);
  });

  it("never echoes a literal secret", () => {
    const raw = langfuse();
    raw.profile.roles.web.secrets.SALT = "hunter2";
    const err = (() => {
      try {
        parseAnyStackConfig(raw, "t");
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).not.toContain("hunter2");
  });

  it("accepts <arn>:<json key>:: secret references", () => {
    const raw = langfuse();
    raw.profile.roles.web.secrets.OTHER = `${ARN}:password::`;
    expect(problemsOf(raw)).toEqual([]);
  });

  it("allows prometheus scaling on EKS", () => {
    expect(problemsOf(rawFromStackFile("examples/membrane-eks.yaml"))).toEqual([]);
  });

  it("parseStackConfig (ActivePieces only) refuses a profile stack with a clear message", () => {
    expect(() => parseStackConfig(langfuse(), "t")).toThrow(/workload profile/);
  });
});
