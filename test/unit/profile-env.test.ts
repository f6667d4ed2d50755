import { describe, expect, it } from "vitest";
import { envReferenceProblems, parseReference, substitute } from "../../config/profile-env";

describe("profile env references", () => {
  it.each([
    ["redis.host", { kind: "redis", field: "host" }],
    ["postgres.database", { kind: "postgres", field: "database" }],
    ["bucket.tmp", { kind: "bucket", bucket: "tmp" }],
    ["role.custom-code-runner.url", { kind: "role", role: "custom-code-runner" }],
    ["region", { kind: "region" }],
  ])("parses ${%s}", (text, ref) => {
    expect(parseReference(text)).toEqual(ref);
  });

  it.each(["redis.password", "postgres.password", "bucket.", "role.api", "secret.x", ""])("refuses ${%s}: credentials are never references", (text) => {
    expect(parseReference(text)).toBeUndefined();
  });

  it("names the role, the variable and the edge a reference needs", () => {
    const problems = envReferenceProblems(
      "api",
      { TMP: "${bucket.tmp}", CODE: "${role.runner.url}", PW: "${redis.password}", R: "${region}", PLAIN: "no refs" },
      ["s3:tmp"],
    );
    expect(problems).toEqual([
      {
        key: "profile.roles.api.env.CODE",
        value: "${role.runner.url}",
        message: '${role.runner.url} names an endpoint the role does not connect to; add "role:runner" to profile.roles.api.connects',
      },
      { key: "profile.roles.api.env.PW", value: "${redis.password}", message: expect.stringContaining("is not a reference this stack can fill; allowed") },
    ]);
  });

  it("substitutes every reference in a value and leaves the rest", () => {
    const out = substitute("redis://${redis.host}:${redis.port}/0", (ref) => (ref.kind === "redis" ? (ref.field === "host" ? "h" : "6379") : "?"));
    expect(out).toBe("redis://h:6379/0");
  });
});
